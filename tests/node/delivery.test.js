'use strict';
// Delivery through the Node addon: settings in dms.open, the background dispatcher started and
// stopped, a new user's temporary password at the SMTP sink of scripts/smtp.sh
// (DMS_TEST_SMTP_URL; the test FAILS without it), the outbox methods.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { dms, freshUrl, cleanup, checked } = require('./helpers');

test.after(cleanup);

function smtpSink() {
  const url = process.env.DMS_TEST_SMTP_URL;
  const dir = process.env.DMS_TEST_SMTP_DIR;
  if (!url || !dir) {
    throw new Error('DMS_TEST_SMTP_URL is not set: start the SMTP sink (scripts/test.sh, or ' +
                    'source scripts/smtp.sh and run dms_smtp_start)');
  }
  return { url, dir };
}

async function waitForMail(dir, count = 1) {
  for (let i = 0; i < 500; i += 1) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    if (files.length >= count) return files.sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return [];
}

test('the background dispatcher mails the temporary password', async () => {
  const { url, dir } = smtpSink();
  const domain = `node${crypto.randomBytes(5).toString('hex')}.test`;
  const db = await dms.open(freshUrl('sqlite'), {
    sqliteSynchronous: 'NORMAL',
    delivery: {
      smtp: {
        url, from: 'Dealer DMS <noreply@dealer.test>',
        username: process.env.DMS_TEST_SMTP_USER, password: process.env.DMS_TEST_SMTP_PASSWORD,
      },
      retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 5 },
    },
  });
  try {
    const system = checked(db.systemSession());
    const user = await system.call('users.Create', {
      email: `ravi@${domain}`, phone: '+919800000201', firstName: 'Ravi', lastName: 'K',
      role: 'admin',
    });
    db.startDispatcher();
    db.startDispatcher();  // idempotent
    const mails = await waitForMail(path.join(dir, domain));
    assert.equal(mails.length, 1);
    assert.match(mails[0], /Subject: Your DMS account/);
    db.stopDispatcher();
    const listed = await system.call('messages.List', { userId: user.id });
    assert.equal(listed.data[0].status, 'SENT');
    assert.equal(listed.data[0].body, undefined);
    assert.equal((await system.call('messages.DeliverBatch', {})).claimed, 0);
  } finally {
    db.close();
  }
});

test('bad delivery settings name the key, never the value', async () => {
  await assert.rejects(
    dms.open(freshUrl('sqlite'), { delivery: { sms: { url: 'ftp://x', headers: {} } } }),
    (e) => e.field === 'delivery.sms.url' && !e.message.includes('ftp://x'));
});
