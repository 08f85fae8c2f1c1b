// MedTechEdge dashboard: polls the module's JSON answers and draws them. Plain JavaScript, no library, no build step:
// the page must work on a gateway with no internet. Text from the module (device ids, error reasons) is untrusted
// (it comes from devices and servers), so it only ever goes into textContent, never into HTML.
(function () {
  'use strict';

  // With an access key configured, the page is opened as /?key=…; the key goes along with every data request.
  var key = new URLSearchParams(window.location.search).get('key');

  // Vital signs by the bundled device mapping's type names (modules/MedTechEdge/mappings/devicecontent.json). No vital
  // is drawn in red: red means outside the configured normal range.
  // Other numeric types are charted under their own name; ECG windows carry no single number and are not charted.
  var VITALS = {
    heartrate: { label: 'Heart rate', unit: 'bpm', digits: 0, color: '#3ddc84' },
    pulserate: { label: 'Pulse rate', unit: 'bpm', digits: 0, color: '#7fe7a9' },
    spo2: { label: 'SpO\u2082', unit: '%', digits: 0, color: '#4fc3f7' },
    bloodpressure: { label: 'Blood pressure', unit: 'mmHg', digits: 0, color: '#ce93d8', second: '#e1bee7' },
    bodytemperature: { label: 'Temperature', unit: '\u00b0C', digits: 1, color: '#ffd54f' },
    respiratoryrate: { label: 'Resp. rate', unit: '/min', digits: 0, color: '#e0e0e0' }
  };
  var ORDER = ['heartrate', 'pulserate', 'spo2', 'bloodpressure', 'bodytemperature', 'respiratoryrate'];
  var CHART_SECONDS = 60;
  var cards = {};

  function $(id) { return document.getElementById(id); }

  function get(path) {
    var headers = key ? { 'X-Access-Key': key } : {};
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (response) {
      if (!response.ok) { throw new Error(response.status === 401 ? 'access key needed (open the page as /?key=\u2026)' : 'HTTP ' + response.status); }
      return response.json();
    });
  }

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return '\u2013'; }
    if (seconds < 10) { return seconds.toFixed(1) + ' s'; }
    if (seconds < 120) { return Math.round(seconds) + ' s'; }
    if (seconds < 7200) { return Math.floor(seconds / 60) + ' min ' + Math.round(seconds % 60) + ' s'; }
    return (seconds / 3600).toFixed(1) + ' h';
  }

  // Local time, 24-hour, whatever the browser's locale: bedside staff compare it with the monitors' clocks.
  function clock(iso) {
    var d = new Date(iso);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  function vital(type) {
    return VITALS[type] || { label: type, unit: '', digits: 1, color: '#90a4ae', second: '#cfd8dc' };
  }

  function format(type, point) {
    var v = vital(type);
    var text = point[1].toFixed(v.digits);
    if (point.length > 2) { text += '/' + point[2].toFixed(v.digits); }
    return text;
  }

  function setConnection(ok, text) {
    var c = $('connection');
    c.textContent = text;
    c.className = ok ? 'muted' : 'error';
  }

  // ---- Status: backlog, sink, totals ----
  function showStatus(s) {
    var b = s.backlog;
    $('backlog-inbox').textContent = b ? b.inbox : '\u2013';
    $('backlog-outbox').textContent = b ? b.outbox : '\u2013';
    $('backlog-windows').textContent = b ? b.openWindows : '\u2013';
    $('backlog-deadletters').textContent = b ? b.deadLetters : '\u2013';
    $('backlog-oldest').textContent = b && b.oldestUndeliveredSeconds !== null ? duration(b.oldestUndeliveredSeconds) : 'none waiting';
    var storeError = $('store-error');
    storeError.hidden = !s.storeError;
    storeError.textContent = s.storeError || '';

    var sink = s.sink;
    var pill = $('sink-state');
    pill.textContent = 'sink ' + sink.name + ': ' + sink.state;
    pill.className = 'pill ' + sink.state;
    $('sink-name').textContent = sink.name;
    $('sink-state-text').textContent = sink.state;
    $('sink-retries').textContent = sink.retries;
    $('sink-reason').textContent = sink.lastRetryReason || '\u2013';
    $('sink-config').textContent = sink.configurationError || 'accepted';
    showEventHub(s.eventHubIngress);
    var t = s.totals;
    $('totals').textContent = 'since start: ' + t.ingested + ' ingested, ' + t.mapped + ' mapped, ' + t.persisted + ' persisted, ' + t.deadLettered + ' dead-lettered, ' + t.unmatched + ' matched no template';
    setConnection(true, 'updated ' + clock(s.timeUtc));
  }

  // ---- Event Hubs ingress: per partition, received events and checkpoint lag ----
  function showEventHub(e) {
    $('eventhub').hidden = !e;
    if (!e) return;
    $('eventhub-source').textContent = e.eventHub + ' (' + e.consumerGroup + ') on ' + e.namespace + ': ' + e.partitionsOwned + ' owned, ' + e.ownershipChanges + ' ownership changes' + (e.heldBatches ? ', ' + e.heldBatches + ' batches held (store full)' : '');
    var parts = [];
    for (var i = 0; i < e.partitions.length; i++) {
      var p = e.partitions[i];
      parts.push(p.id + (p.owned ? '' : ' (not owned)') + ': ' + p.received + ' read, lag ' + p.checkpointLag + (p.tooLarge ? ', ' + p.tooLarge + ' too large' : ''));
    }
    $('eventhub-partitions').textContent = parts.length ? parts.join('; ') : 'none yet';
  }

  // ---- Throughput chart ----
  function fitCanvas(canvas) {
    // Draw at the screen's pixel density, in CSS pixels.
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    var g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    return { g: g, width: width, height: height };
  }

  // Grouped bars, one group per bucket, rates per second so the bucket still filling compares with the closed ones.
  function showThroughput(t) {
    var buckets = t.buckets.slice();
    if (t.current.seconds > 0) { buckets.push(t.current); }
    var c = fitCanvas($('throughput'));
    var g = c.g;
    var left = 44, right = 8, top = 8, bottom = 20;
    var w = c.width - left - right, h = c.height - top - bottom;
    var slots = 31;
    var names = ['ingested', 'mapped', 'persisted'];
    var colors = { ingested: '#4fc3f7', mapped: '#3ddc84', persisted: '#ffd54f' };
    var max = 1;
    var rates = buckets.map(function (bucket) {
      var s = bucket.seconds || 1;
      var r = { ingested: bucket.ingested / s, mapped: bucket.mapped / s, persisted: bucket.persisted / s };
      max = Math.max(max, r.ingested, r.mapped, r.persisted);
      return r;
    });
    max = niceCeiling(max);
    g.strokeStyle = '#2c3440';
    g.fillStyle = '#8a96a8';
    g.font = '11px system-ui, sans-serif';
    g.lineWidth = 1;
    for (var i = 0; i <= 5; i++) {
      var y = top + h - (h * i / 5);
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + w, y); g.stroke();
      g.fillText(formatRate(max * i / 5), 4, y + 4);
    }
    g.fillText('\u22125 min', left, c.height - 4);
    g.fillText('now', left + w - 22, c.height - 4);
    var slot = w / slots;
    var bar = Math.max(1, (slot - 4) / names.length);
    rates.forEach(function (r, index) {
      var x = left + slot * (slots - rates.length + index) + 2;
      names.forEach(function (name, n) {
        var height = h * r[name] / max;
        g.fillStyle = colors[name];
        g.fillRect(x + n * bar, top + h - height, bar - 1, height);
      });
    });
  }

  function niceCeiling(v) {
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= v) { return steps[i] * p; } }
    return 10 * p;
  }

  function formatRate(v) { return v >= 10 ? v.toFixed(0) : v.toFixed(1); }

  // ---- Dead letters ----
  function showDeadLetters(d) {
    var body = $('deadletters').tBodies[0];
    body.textContent = '';
    d.items.forEach(function (letter) {
      var row = body.insertRow();
      row.appendChild(element('td', 'nowrap', clock(letter.timeUtc)));
      row.appendChild(element('td', null, letter.deviceId || '\u2013'));
      row.appendChild(element('td', null, letter.stage));
      row.appendChild(element('td', null, letter.kind));
      // The reason is left out unless patient data may be shown (it can quote the message); the store has it.
      row.appendChild(element('td', 'reason', letter.error !== null && letter.error !== undefined ? letter.error : 'deadletters show ' + letter.id));
    });
    $('deadletters-empty').hidden = d.items.length > 0;
  }

  // ---- Devices and their vitals ----
  function silence(device) {
    // The module judges silence against the device's own rhythm (Dashboard:SilentIntervals of its usual interval).
    if (device.state !== 'no-data') { return ''; }
    return 'No data for ' + duration(device.silentSeconds) + ' (usually every ' + duration(device.usualIntervalSeconds) + ')';
  }

  function showDevices(d) {
    var now = Date.parse(d.timeUtc);
    var showPatients = d.devices.some(function (device) { return 'patientId' in device; });
    Array.prototype.forEach.call(document.querySelectorAll('.patient-column'), function (e) { e.hidden = !showPatients; });
    $('device-count').textContent = d.devices.length + ' seen';
    var body = $('devices').tBodies[0];
    body.textContent = '';
    var seen = {};
    // By id, so rows stay put from one poll to the next.
    d.devices.sort(function (a, b) { return a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0; });
    d.devices.forEach(function (device) {
      seen[device.deviceId] = true;
      var age = Math.max(0, (now - Date.parse(device.lastSeenUtc)) / 1000);
      var row = body.insertRow();
      row.dataset.device = device.deviceId;
      row.classList.toggle('no-data', device.state === 'no-data');
      row.appendChild(element('td', 'device-id', device.deviceId));
      if (showPatients) { row.appendChild(element('td', 'patient-cell', device.patientId || '\u2013')); }
      var last = element('td', 'last-seen nowrap', duration(age) + ' ago (' + clock(device.lastSeenUtc) + ')');
      last.classList.toggle('stale', device.state === 'no-data');
      if (device.state === 'no-data') { last.appendChild(element('span', 'no-data-badge', ' no data')); }
      row.appendChild(last);
      row.appendChild(element('td', null, device.series.map(function (s) { return vital(s.type).label; }).join(', ') || 'no numeric values'));
      showVitals(device, age, showPatients);
    });
    Object.keys(cards).forEach(function (id) {
      if (!seen[id]) { cards[id].root.remove(); delete cards[id]; }
    });
  }

  function sortedSeries(device) {
    return device.series.slice().sort(function (a, b) {
      var ia = ORDER.indexOf(a.type), ib = ORDER.indexOf(b.type);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
  }

  function card(device) {
    var existing = cards[device.deviceId];
    if (existing) { return existing; }
    var root = element('div', 'card vital-card');
    root.dataset.device = device.deviceId;
    var title = element('h3');
    title.appendChild(element('span', 'device-id', device.deviceId));
    // Patient context beside the device, only when the module sends it (Dashboard:ShowPatientIds).
    var patient = element('span', 'patient');
    patient.hidden = true;
    var seen = element('span', 'muted seen');
    var badge = element('span', 'no-data-badge');
    badge.hidden = true;
    title.appendChild(patient);
    title.appendChild(seen);
    title.appendChild(badge);
    var layout = element('div', 'vital-layout');
    var chart = document.createElementNS(SVG, 'svg');
    chart.setAttribute('class', 'chart vitals-chart');
    var values = element('div', 'vital-values');
    layout.appendChild(chart);
    layout.appendChild(values);
    root.appendChild(title);
    root.appendChild(layout);
    $('vitals').appendChild(root);
    cards[device.deviceId] = { root: root, chart: chart, values: values, seen: seen, patient: patient, badge: badge };
    return cards[device.deviceId];
  }

  // Which of a point's values lie outside their normal range: -1 below, 1 above, 0 inside or no range.
  function outside(series, point, k) {
    var range = series.ranges && series.ranges[k - 1];
    if (!range) { return 0; }
    if (range[0] !== null && point[k] < range[0]) { return -1; }
    if (range[1] !== null && point[k] > range[1]) { return 1; }
    return 0;
  }

  function rangeText(series) {
    var parts = [];
    (series.ranges || []).forEach(function (range, i) {
      if (!range) { return; }
      var name = series.values.length > 1 ? series.values[i] + ' ' : '';
      parts.push(name + (range[0] === null ? '\u2264 ' + range[1] : range[1] === null ? '\u2265 ' + range[0] : range[0] + '\u2013' + range[1]));
    });
    return parts.join(', ');
  }

  function showVitals(device, age, showPatients) {
    var series = sortedSeries(device);
    var c = card(device);
    var noData = device.state === 'no-data';
    c.root.classList.toggle('no-data', noData);
    c.patient.hidden = !showPatients;
    c.patient.textContent = showPatients ? 'Patient ' + (device.patientId || 'unknown') : '';
    c.seen.textContent = ' last seen ' + duration(age) + ' ago';
    c.badge.hidden = !noData;
    c.badge.textContent = silence(device);
    c.values.textContent = '';
    series.forEach(function (s) {
      var v = vital(s.type);
      var latest = s.points[s.points.length - 1];
      var box = element('div', 'vital');
      box.dataset.type = s.type;
      box.style.color = v.color;
      box.appendChild(element('div', 'name', v.label));
      var value = element('span', 'value', latest ? format(s.type, latest) : '\u2013');
      box.appendChild(value);
      box.appendChild(element('span', 'unit', ' ' + v.unit));
      var direction = 0;
      for (var k = 1; latest && k < latest.length; k++) { direction = direction || outside(s, latest, k); }
      if (direction !== 0) {
        // Coloured and said in words, so the flag does not rest on colour alone.
        box.classList.add('out-of-range');
        box.appendChild(element('span', 'flag', direction > 0 ? '\u25b2 above normal' : '\u25bc below normal'));
      }
      var normal = rangeText(s);
      if (normal) { box.appendChild(element('div', 'normal', 'normal ' + normal)); }
      c.values.appendChild(box);
    });
    drawVitals(c.chart, series);
  }

  var SVG = 'http://www.w3.org/2000/svg';
  var LABEL_BAND = 14;  // each lane's name sits in this band above its plot, never over the line
  var GAP = 4;          // between the band and the plot, and around the line inside the plot (stroke and markers)
  var LANE_MIN = 48;    // a lane's least height: the band, the gaps and about 20 px of line

  function svg(tag, attributes, parent) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { e.setAttribute(name, attributes[name]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  // One lane per vital, each with its own scale, over the last CHART_SECONDS of the device's own clock. A lane is a
  // label band on top and a plot below it; the line is scaled into the plot only, so a label cannot cover it.
  function drawVitals(chart, series) {
    // Tall enough that every lane keeps room for a line under its label.
    chart.style.height = Math.max(180, series.length * LANE_MIN) + 'px';
    var width = chart.clientWidth || 300;
    var height = chart.clientHeight || 180;
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    chart.textContent = '';
    if (series.length === 0) {
      var none = svg('text', { x: 8, y: 20, 'class': 'lane-label' }, chart);
      none.textContent = 'no numeric measurements yet';
      return;
    }
    var end = -Infinity, first = Infinity;
    series.forEach(function (s) { s.points.forEach(function (p) { end = Math.max(end, p[0]); first = Math.min(first, p[0]); }); });
    var start = Math.max(first, end - CHART_SECONDS * 1000);
    var span = Math.max(1000, end - start);
    var laneHeight = height / series.length;
    series.forEach(function (s, lane) {
      var v = vital(s.type);
      var laneTop = lane * laneHeight;
      var plotTop = laneTop + LABEL_BAND + GAP;
      var plotBottom = laneTop + laneHeight - GAP;
      var g = svg('g', { 'class': 'lane', 'data-type': s.type }, chart);
      svg('line', { x1: 0, x2: width, y1: laneTop + laneHeight - 0.5, y2: laneTop + laneHeight - 0.5, 'class': 'lane-rule' }, g);
      var label = svg('text', { x: 4, y: laneTop + LABEL_BAND - 3, 'class': 'lane-label' }, g);
      label.textContent = v.label;
      var points = s.points.filter(function (p) { return p[0] >= start; });
      var lo = Infinity, hi = -Infinity;
      points.forEach(function (p) {
        for (var i = 1; i < p.length; i++) { lo = Math.min(lo, p[i]); hi = Math.max(hi, p[i]); }
      });
      if (hi - lo < 2) { lo -= 1; hi += 1; }
      var pad = (hi - lo) * 0.15;
      lo -= pad; hi += pad;
      var top = plotTop + GAP, bottom = plotBottom - GAP;
      function x(p) { return 4 + (width - 8) * (p[0] - start) / span; }
      function y(value) { return bottom - (bottom - top) * (value - lo) / (hi - lo); }
      // The normal range as a band behind the line, cut to the plot.
      (s.ranges || []).forEach(function (range) {
        if (!range) { return; }
        var upper = Math.max(top, Math.min(bottom, y(range[1] === null ? hi : range[1])));
        var lower = Math.max(top, Math.min(bottom, y(range[0] === null ? lo : range[0])));
        if (lower > upper) { svg('rect', { x: 0, width: width, y: upper, height: lower - upper, 'class': 'normal-band' }, g); }
      });
      for (var k = 1; k < (points[0] ? points[0].length : 1); k++) {
        var color = k === 1 ? v.color : (v.second || v.color);
        var coordinates = points.map(function (p) { return x(p).toFixed(1) + ',' + y(p[k]).toFixed(1); }).join(' ');
        svg('polyline', { points: coordinates, stroke: color, 'class': 'lane-line' }, g);
        points.forEach(function (p, index) {
          var off = outside(s, p, k);
          // Points outside the normal range are marked; the latest point always, so a first sample shows before there is a line.
          if (off !== 0 || index === points.length - 1) {
            svg('circle', { cx: x(p).toFixed(1), cy: y(p[k]).toFixed(1), r: 3, fill: off !== 0 ? '#ff6b6b' : color, 'class': off !== 0 ? 'lane-point out-of-range' : 'lane-point' }, g);
          }
        });
      }
    });
  }

  // ---- Polling ----
  function report(error) { setConnection(false, 'cannot reach the module: ' + error.message); }

  function pollFast() {
    get('api/devices').then(showDevices).catch(report);
  }

  function pollSlow() {
    get('api/status').then(showStatus).catch(report);
    get('api/throughput').then(showThroughput).catch(report);
    get('api/deadletters').then(showDeadLetters).catch(report);
  }

  pollFast();
  pollSlow();
  window.setInterval(pollFast, 1000);
  window.setInterval(pollSlow, 2000);
}());
