import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildBundle, PREBUILT_BUNDLE } from './bundle';

// `npm run build`: prebuilds the workflow bundle so production workers start fast.
buildBundle()
  .then(({ code }) => {
    mkdirSync(dirname(PREBUILT_BUNDLE), { recursive: true });
    writeFileSync(PREBUILT_BUNDLE, code);
    console.log(`Workflow bundle written to ${PREBUILT_BUNDLE} (${Math.round(code.length / 1024)} KiB)`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
