'use strict';
// The ONE place the server loads libdms: the `dms` npm package (bindings/node, a file:
// dependency in package.json, linked by npm ci). In this repository scripts/serve.sh and
// scripts/suites/server.sh install it with DMS_NODE_SKIP_BUILD=1 and point DMS_NODE_ADDON at the
// addon the build made; a server installed elsewhere gets the addon built by the package's install.
module.exports = require('dms');
