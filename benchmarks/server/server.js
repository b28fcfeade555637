'use strict';
// The benchmark's server: the production wiring of bin/dms-server.js (buildApp, the realtime
// feed, the rate limit raised out of the way) plus one route the production server does not
// have, so that a run can tell the library's share of a route's cost from the bytes' share:
//
//   PUT /api/bench/reference   (body: any text)  keeps the text in memory
//   GET /api/bench/reference                      answers it as application/json, with the
//                                                 pagination headers a list answer carries,
//                                                 without calling the library
//
//   node benchmarks/server/server.js <database file>     prints "listening on <url>"
const dms = require('../../server/src/dms');
const { buildApp } = require('../../server/src/app');
const realtime = require('../../server/src/realtime');

(async () => {
  const db = await dms.open(process.argv[2]);
  const app = await buildApp({ db, rateLimit: { max: 1e9, windowMs: 60000 } });
  await realtime.attach(app, db, {});
  let reference = '{}';
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => done(null, body));
  app.put('/api/bench/reference', async (request) => {
    reference = String(request.body);
    return { data: { bytes: Buffer.byteLength(reference) }, success: true };
  });
  app.get('/api/bench/reference', async (request, reply) => {
    reply.type('application/json; charset=utf-8');
    reply.header('X-Total-Count', 100).header('X-Total-Pages', 5).header('X-Page', 1)
      .header('X-Limit', 20).header('Link', '</api/job-cards?page=2>; rel="next"');
    return reference;
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`listening on ${address}`);
  const stop = async () => { await app.close(); db.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
