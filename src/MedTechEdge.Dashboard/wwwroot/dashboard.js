// MedTechEdge dashboard: polls the module's JSON answers and draws them. Plain JavaScript, no library, no build step:
// the page must work on a gateway with no internet. Text from the module (device ids, error reasons) is untrusted
// (it comes from devices and servers), so it only ever goes into textContent, never into HTML.
(function () {
  'use strict';

  // With an access key configured, the page is opened as /?key=…; the key goes along with every data request.
  var key = new URLSearchParams(window.location.search).get('key');

  // Vital signs by the bundled device mapping's type names (modules/MedTechEdge/mappings/devicecontent.json).
  // Other numeric types are charted under their own name; ECG windows carry no single number and are not charted.
  var VITALS = {
    heartrate: { label: 'Heart rate', unit: 'bpm', digits: 0, color: '#3ddc84' },
    pulserate: { label: 'Pulse rate', unit: 'bpm', digits: 0, color: '#7fe7a9' },
    spo2: { label: 'SpO\u2082', unit: '%', digits: 0, color: '#4fc3f7' },
    bloodpressure: { label: 'Blood pressure', unit: 'mmHg', digits: 0, color: '#ff6b6b', second: '#ffa8a8' },
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
    return VITALS[type] || { label: type, unit: '', digits: 1, color: '#b39ddb', second: '#d1c4e9' };
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
      row.appendChild(element('td', 'device-id', device.deviceId));
      if (showPatients) { row.appendChild(element('td', null, device.patientId || '\u2013')); }
      var last = element('td', 'last-seen nowrap', duration(age) + ' ago (' + clock(device.lastSeenUtc) + ')');
      last.classList.toggle('stale', age > 60);
      row.appendChild(last);
      row.appendChild(element('td', null, device.series.map(function (s) { return vital(s.type).label; }).join(', ') || 'no numeric values'));
      showVitals(device, age);
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
    var title = element('h3', null, device.deviceId);
    var seen = element('span', 'muted seen');
    title.appendChild(seen);
    var layout = element('div', 'vital-layout');
    var canvas = element('canvas', 'chart vitals-chart');
    canvas.height = 180;
    var values = element('div', 'vital-values');
    layout.appendChild(canvas);
    layout.appendChild(values);
    root.appendChild(title);
    root.appendChild(layout);
    $('vitals').appendChild(root);
    cards[device.deviceId] = { root: root, canvas: canvas, values: values, seen: seen };
    return cards[device.deviceId];
  }

  function showVitals(device, age) {
    var series = sortedSeries(device);
    var c = card(device);
    c.seen.textContent = ' last seen ' + duration(age) + ' ago';
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
      c.values.appendChild(box);
    });
    drawVitals(c.canvas, series);
  }

  // One lane per vital, each with its own scale, over the last CHART_SECONDS of the device's own clock.
  function drawVitals(canvas, series) {
    var c = fitCanvas(canvas);
    var g = c.g;
    if (series.length === 0) {
      g.fillStyle = '#8a96a8';
      g.font = '12px system-ui, sans-serif';
      g.fillText('no numeric measurements yet', 8, 20);
      return;
    }
    // The device's own clock sets the window: up to CHART_SECONDS, or what there is so far, across the full width.
    var end = -Infinity, first = Infinity;
    series.forEach(function (s) { s.points.forEach(function (p) { end = Math.max(end, p[0]); first = Math.min(first, p[0]); }); });
    var start = Math.max(first, end - CHART_SECONDS * 1000);
    var span = Math.max(1000, end - start);
    var laneHeight = c.height / series.length;
    series.forEach(function (s, lane) {
      var v = vital(s.type);
      var top = lane * laneHeight + 4, height = laneHeight - 8;
      var points = s.points.filter(function (p) { return p[0] >= start; });
      var lo = Infinity, hi = -Infinity;
      points.forEach(function (p) {
        for (var i = 1; i < p.length; i++) { lo = Math.min(lo, p[i]); hi = Math.max(hi, p[i]); }
      });
      if (hi - lo < 2) { lo -= 1; hi += 1; }
      var pad = (hi - lo) * 0.15;
      lo -= pad; hi += pad;
      g.strokeStyle = '#232b36';
      g.lineWidth = 1;
      g.beginPath(); g.moveTo(0, top + height + 4); g.lineTo(c.width, top + height + 4); g.stroke();
      g.fillStyle = '#8a96a8';
      g.font = '10px system-ui, sans-serif';
      g.fillText(v.label, 4, top + 10);
      for (var k = 1; k < (points[0] ? points[0].length : 1); k++) {
        g.strokeStyle = k === 1 ? v.color : (v.second || v.color);
        g.lineWidth = 2;
        g.beginPath();
        var last = null;
        points.forEach(function (p, index) {
          var x = 4 + (c.width - 8) * (p[0] - start) / span;
          var y = top + height - height * (p[k] - lo) / (hi - lo);
          if (index === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
          last = { x: x, y: y };
        });
        g.stroke();
        // The latest point marked, so a first sample shows before there is a line.
        if (last) { g.fillStyle = g.strokeStyle; g.fillRect(last.x - 3, last.y - 3, 6, 6); }
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
