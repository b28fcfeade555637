'use strict';
// Run by node.sh inside a temporary npm project: require('dms') resolves the installed package
// (the addon it built on install), with no environment variable.
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

assert.strictEqual(process.env.DMS_NODE_ADDON, undefined);
const resolved = require.resolve('dms');
assert.ok(fs.realpathSync(resolved).endsWith(path.join('index.js')), resolved);
const dms = require('dms');

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-npm-'));
  const db = await dms.open(path.join(dir, 'dealer.db'));
  const system = db.systemSession();
  const admin = await system.users.create({ email: 'admin@dealer.in', phone: '+919800000001',
                                            firstName: 'Asha', lastName: 'Rao', role: 'admin' });
  const me = await db.sessionForUser(admin.id);
  const part = await me.call('inventory.CreatePart', { partNumber: 'BRK-PAD-001',
    partName: 'Brake Pad', hsnCode: '87083000', gstRate: '18', unitPrice: '2500' });
  const moved = await me.inventory.adjustStock({ partId: part.id, adjustmentType: 'ADD',
                                                 quantity: '10', reason: 'STOCK_RECEIVED' });
  assert.strictEqual(moved.newStock, '10');
  await assert.rejects(me.users.get({ id: 'no-such-user' }), (e) => e.codeNumber === 300);
  db.close();
  // The addon runs on the package's own copies of the libraries.
  const pkg = path.dirname(fs.realpathSync(resolved));
  const loaded = new Set(fs.readFileSync('/proc/self/maps', 'utf8').split('\n')
    .filter((line) => line.includes('libdms')).map((line) => line.split(/\s+/).pop()));
  assert.deepStrictEqual([...loaded].sort(),
                         [path.join(pkg, 'libdms.so.0'), path.join(pkg, 'libdms_c.so.0')]);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`node workflow ok: ${resolved}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
