'use strict';
// The cost of a trivial call from Node: system.Ping {echo: 'hello'} (no permission, no storage)
// through the addon. Each call is async work on libuv's thread pool settling a Promise, so two
// figures: the latency of one awaited call at a time, and the cost per call with 64 in flight.
// Compare with BM_Cpp_DatabaseCall of bench_bindings (docs/benchmarks.md, "Bindings").
//
//   DMS_NODE_ADDON=build/dev/node/dms.node node benchmarks/bench_bindings.js
const dms = require('../bindings/node');

async function perCallUs(fn, calls) {
  const start = process.hrtime.bigint();
  const startCpu = process.cpuUsage();
  await fn(calls);
  const wallUs = Number(process.hrtime.bigint() - start) / 1e3 / calls;
  const cpu = process.cpuUsage(startCpu);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / calls };
}

async function main() {
  const calls = Number(process.argv[2] || 100000);
  const db = await dms.open(':memory:');
  const session = db.systemSession();
  const request = { echo: 'hello' };

  const sequential = async (n) => {
    for (let i = 0; i < n; i += 1) await db.call(session, 'system.Ping', request);
  };
  const pipelined = async (n) => {
    const inFlight = 64;
    let next = 0;
    const worker = async () => {
      while (next < n) {
        next += 1;
        await db.call(session, 'system.Ping', request);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  };
  const text = async (n) => {
    for (let i = 0; i < n; i += 1) await db.callText(session, 'system.Ping', '{"echo":"hello"}');
  };

  await sequential(5000);  // warm up
  const rows = [];
  for (const [name, fn] of [['one at a time: await db.call(...)', sequential],
                            ['one at a time: await db.callText(...)', text],
                            ['64 in flight: db.call(...)', pipelined]]) {
    const runs = [];
    for (let r = 0; r < 5; r += 1) runs.push(await perCallUs(fn, calls));
    runs.sort((a, b) => a.wallUs - b.wallUs);
    rows.push([name, runs[2]]);
  }
  for (const [name, { wallUs, cpuUs }] of rows) {
    console.log(`${wallUs.toFixed(2).padStart(8)} us wall  ${cpuUs.toFixed(2).padStart(8)} us cpu  ${name}`);
  }
  db.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
