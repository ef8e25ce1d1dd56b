// Worker-thread entry that parses one uploaded spreadsheet (see parse.ts, which starts it).
//
// Plain CommonJS on purpose: a worker thread runs outside jest's SWC transform and, with
// `execArgv: []`, outside the tsx loader of `npm start`, so this file must load under bare
// Node. It loads the TypeScript (workbook.ts) through tsx's API, a dependency of the app.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const tsx = require('tsx/cjs/api');

const { readWorkbook } = tsx.require('./workbook.ts', __filename);
parentPort.postMessage(readWorkbook(workerData.data, workerData.limits));
