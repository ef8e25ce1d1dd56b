// Workbooks for the upload-limit tests, built with fflate: a zip bomb and a sheet of many rows.
import { Worker } from 'node:worker_threads';
import { strToU8, unzipSync, Zip, ZipDeflate } from 'fflate';

const NS = 'http://schemas.openxmlformats.org';
const CONTENT_TYPES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="${NS}/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '</Types>';
const ROOT_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${NS}/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
  '</Relationships>';
const WORKBOOK =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${NS}/spreadsheetml/2006/main" ` +
  `xmlns:r="${NS}/officeDocument/2006/relationships"><sheets><sheet name="Q" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${NS}/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
  '</Relationships>';
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}/spreadsheetml/2006/main"><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';

/** A one-sheet .xlsx whose sheet XML `writeRows` streams in, deflated by fflate as it goes. */
export function xlsxPackage(writeRows: (push: (xml: Uint8Array) => void) => void): Buffer {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.push(chunk);
  });
  const part = (name: string, xml: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(strToU8(xml), true);
  };
  part('[Content_Types].xml', CONTENT_TYPES);
  part('_rels/.rels', ROOT_RELS);
  part('xl/workbook.xml', WORKBOOK);
  part('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 1 });
  zip.add(sheet);
  sheet.push(strToU8(SHEET_HEAD));
  writeRows((xml) => sheet.push(xml));
  sheet.push(strToU8(SHEET_TAIL), true);
  zip.end();
  return Buffer.concat(out);
}

/** Identical rows of one 30,000-character cell: `bytes` of sheet XML that deflate about 1000:1. */
export function zipBomb(bytes: number): Buffer {
  const row = `<row><c t="inlineStr"><is><t>${'A'.repeat(30_000)}</t></is></c></row>`;
  const chunk = strToU8(row.repeat(32));
  return xlsxPackage((push) => {
    for (let sent = 0; sent < bytes; sent += chunk.length) push(chunk);
  });
}

/** A sheet of `rows` numbered rows, one number cell each. */
export function numberedRows(rows: number): Buffer {
  return xlsxPackage((push) => {
    let xml = '';
    for (let i = 1; i <= rows; i++) {
      xml += `<row r="${i}"><c><v>${i}</v></c></row>`;
      if (i % 10_000 === 0 || i === rows) {
        push(strToU8(xml));
        xml = '';
      }
    }
  });
}

export const declaredUnzippedBytes = (zip: Uint8Array) => {
  let sum = 0;
  unzipSync(zip, {
    filter: (f) => {
      sum += f.originalSize;
      return false;
    },
  });
  return sum;
};

/**
 * Runs one of the builders above in a worker thread and transfers its bytes back. The big
 * fixtures are built there so that the garbage of building them (hundreds of MB) never
 * lands in the test process's heap, which is also the API's: collecting it there would
 * stall the very event loop the tests measure. The worker loads this file through tsx.
 */
export function buildInWorker(builder: 'zipBomb' | 'numberedRows', arg: number): Promise<Buffer> {
  const code = [
    "const { parentPort, workerData } = require('node:worker_threads');",
    "const fixtures = require('tsx/cjs/api').require(workerData.file, workerData.file);",
    'const bytes = fixtures[workerData.builder](workerData.arg);',
    'parentPort.postMessage(bytes, [bytes.buffer]);',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { file: __filename, builder, arg } });
    worker.once('message', (bytes: Uint8Array) => {
      resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fixture builder exited with code ${code}`)));
  });
}
