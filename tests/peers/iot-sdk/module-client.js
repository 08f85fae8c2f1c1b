'use strict';
// The official Azure IoT Node SDK as a module client (ModuleClient.fromEnvironment over MQTT), for the tests that
// check the edgeHub stand-in against it. It reads EdgeHubConnectionString and EdgeModuleCACertificateFile, as a
// module under iotedgehubdev does, exercises every flow the module uses, and prints one JSON line per event on
// stdout. Commands arrive as JSON lines on stdin: {"send":"<output>","body":"…","properties":{…}}.
const { ModuleClient, Message } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');
const readline = require('readline');

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function fail(step, err) {
  emit({ event: 'error', step, message: err && err.message ? err.message : String(err) });
}

ModuleClient.fromEnvironment(Mqtt, (err, client) => {
  if (err) {
    fail('fromEnvironment', err);
    process.exit(1);
  }

  client.on('error', (e) => fail('client', e));
  client.on('inputMessage', (inputName, msg) => {
    const properties = {};
    for (const p of msg.properties.propertyList) {
      properties[p.key] = p.value;
    }
    emit({
      event: 'input',
      inputName,
      body: msg.data.toString('utf8'),
      messageId: msg.messageId,
      correlationId: msg.correlationId,
      contentType: msg.contentType,
      contentEncoding: msg.contentEncoding,
      properties,
    });
    client.complete(msg, (e) => { if (e) { fail('complete', e); } });
  });

  client.open((openErr) => {
    if (openErr) {
      fail('open', openErr);
      process.exit(1);
    }

    emit({ event: 'connected' });
    client.onMethod('echo', (request, response) => {
      emit({ event: 'method', name: request.methodName, payload: request.payload });
      response.send(200, { echo: request.payload }, (e) => { if (e) { fail('method response', e); } });
    });
    client.getTwin((twinErr, twin) => {
      if (twinErr) {
        fail('getTwin', twinErr);
        return;
      }

      emit({ event: 'twin', desired: twin.properties.desired });
      twin.on('properties.desired', (delta) => emit({ event: 'desired', delta }));
      twin.properties.reported.update({ sdk: 'node', ready: true }, (updateErr) => {
        if (updateErr) {
          fail('reported', updateErr);
          return;
        }
        emit({ event: 'reported' });
      });
    });
  });

  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const command = JSON.parse(line);
    const message = new Message(command.body);
    message.messageId = 'm-1';
    message.contentType = 'application/json';
    message.contentEncoding = 'utf-8';
    for (const [key, value] of Object.entries(command.properties || {})) {
      message.properties.add(key, value);
    }
    client.sendOutputEvent(command.send, message, (e) => {
      if (e) {
        fail('send', e);
        return;
      }
      emit({ event: 'sent', output: command.send });
    });
  }).on('close', () => client.close(() => process.exit(0)));
});
