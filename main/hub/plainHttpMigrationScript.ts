import { createHash } from 'node:crypto';

/**
 * The script of the page that plain HTTP from the LAN gets (plainHttpRedirect.ts). It runs at the hub's
 * old http:// origin, where browser devices paired before HTTPS keep their data (IndexedDB is per origin):
 * - opened normally, it looks for such a device and, if there is one, shows the way to move it and the
 *   messages it has not sent yet (so they are never lost without the person seeing them);
 * - opened by the https app as a popup at `#migrate-from` (renderer/migration/), it posts its data to its
 *   opener, targetOrigin exactly the https origin of the same host and port, and deletes its copy only when
 *   that origin answers `imported`. The reference for the messages is renderer/migration/migrationMessages.ts;
 *   the page loads no library, so its checks are written out here: origin, source window, tag, kind.
 * The device's key (the `deviceKeys` store, from IndexedDB version 2: a version-1 database has none) goes along only
 * as a raw secret, which is what a page without WebCrypto keeps (renderer/sync/plainHttpDeviceKey.ts); a WebCrypto
 * key is reported as 'nonExtractable' and stays, and the app then refuses a device that needs it.
 * It opens the database without a version and aborts the upgrade a missing database would need, so a
 * visit never creates one. Dependency-free ES2017, allowed by its hash in the page's CSP.
 */
export const MIGRATION_SCRIPT = `(function () {
  'use strict';
  var TAG = 'roost-migrate-v1';
  var STORES = ['kv', 'ranges', 'messages', 'outbox'];
  var KEYS = 'deviceKeys';
  var REFUSED = {
    HAS_ACCOUNT: 'This browser already has a device at the encrypted address, so nothing was moved.',
    INVALID: 'The encrypted address could not read this device\\u2019s data, so nothing was moved.',
    STORAGE_FAILED: 'The browser would not store this device\\u2019s data at the encrypted address.',
    KEY_NOT_MOVABLE: 'This device\\u2019s key cannot be moved, so nothing was moved. Keep using the device at this ' +
      'address, or pair again at the encrypted address.'
  };
  var main = document.querySelector('main');
  var https = main && main.getAttribute('data-https');
  if (!https || !window.indexedDB) return;
  var target = new URL(https).origin;
  var opener = location.hash === '#migrate-from' ? window.opener : null;
  function byId(id) { return document.getElementById(id); }
  function say(text) { var s = byId('migrate-status'); s.hidden = false; s.textContent = text; }
  function send(message) { opener.postMessage(message, target); }
  function openDb(done) {
    var req;
    try { req = indexedDB.open('roost'); } catch (e) { return done(null, true); }
    req.onupgradeneeded = function () { req.transaction.abort(); };
    req.onsuccess = function () { done(req.result, false); };
    req.onerror = function (event) {
      event.preventDefault();
      done(null, !req.error || req.error.name !== 'AbortError');
    };
  }
  function storesOf(db) { return db.objectStoreNames.contains(KEYS) ? STORES.concat(KEYS) : STORES; }
  function movedKey(row) {
    if (row && row.secretKey instanceof Uint8Array) return { secretKey: row.secretKey };
    return row && row.privateKey ? 'nonExtractable' : null;
  }
  function readAll(db, done) {
    var tx;
    try { tx = db.transaction(storesOf(db), 'readonly'); } catch (e) { return done(null); }
    var kv = tx.objectStore('kv');
    var reqs = {
      credentials: kv.get('credentials'),
      snapshot: kv.get('snapshot'),
      outbox: tx.objectStore('outbox').getAll(),
      ranges: tx.objectStore('ranges').getAll(),
      messages: tx.objectStore('messages').getAll()
    };
    var key = db.objectStoreNames.contains(KEYS) ? tx.objectStore(KEYS).get('device') : null;
    tx.oncomplete = function () {
      var out = {};
      for (var k in reqs) out[k] = reqs[k].result === undefined ? null : reqs[k].result;
      out.deviceKey = movedKey(key && key.result);
      done(out);
    };
    tx.onabort = function () { done(null); };
  }
  function clearAll(db, done) {
    var tx;
    var stores = storesOf(db);
    try { tx = db.transaction(stores, 'readwrite'); } catch (e) { return done(false); }
    stores.forEach(function (s) { tx.objectStore(s).clear(); });
    tx.oncomplete = function () { done(true); };
    tx.onabort = function () { done(false); };
  }
  function showUnsent(outbox) {
    var list = byId('unsent-list');
    list.textContent = '';
    outbox.slice().sort(function (a, b) { return a.order - b.order; }).forEach(function (entry) {
      var item = document.createElement('li');
      item.textContent = String(entry.text);
      list.appendChild(item);
    });
    byId('unsent').hidden = outbox.length === 0;
  }
  function handOver(db, data) {
    window.addEventListener('message', function (event) {
      var m = event.data;
      if (event.origin !== target || event.source !== opener || !m || m.tag !== TAG) return;
      if (m.kind === 'imported') {
        clearAll(db, function (cleared) {
          say(cleared ? 'Moved. This device now lives at the encrypted address; this window closes.'
            : 'Moved, but this browser kept the old copy; it is no longer used.');
          send({ tag: TAG, kind: 'done', cleared: cleared });
        });
      } else if (m.kind === 'refused') {
        say((REFUSED[m.reason] || REFUSED.INVALID) + ' This device stays here, with its messages not sent yet:');
        showUnsent(data.outbox);
      }
    });
    say('Handing this device over to the encrypted address\\u2026');
    send({ tag: TAG, kind: 'data', data: data });
  }
  openDb(function (db, broken) {
    if (opener) {
      if (!db) return send({ tag: TAG, kind: broken ? 'unreadable' : 'empty' });
      return readAll(db, function (data) {
        if (!data) return send({ tag: TAG, kind: 'unreadable' });
        if (!data.credentials) return send({ tag: TAG, kind: 'empty' });
        handOver(db, data);
      });
    }
    if (!db) return;
    readAll(db, function (data) {
      if (!data || (!data.credentials && data.outbox.length === 0)) return;
      byId('move').hidden = !data.credentials;
      showUnsent(data.outbox);
    });
  });
})();`;

export const MIGRATION_SCRIPT_HASH = `sha256-${createHash('sha256').update(MIGRATION_SCRIPT).digest('base64')}`;
