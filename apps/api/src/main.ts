import { startRelays } from '@vigil/domains/relays';
import { createDeps } from '@vigil/domains/runtime';
import { loadConfig } from '@vigil/kernel/config';
import { createApp } from './app';

// The API process: HTTP only. Workflows run in the worker process.
async function main() {
  const config = loadConfig();
  const deps = await createDeps(config, 'api');
  const app = createApp(deps);
  // The outbox relays: workflow commands and notifications this (or any) process committed.
  const relays = startRelays(deps);
  const server = app.listen(config.PORT, config.HOST, () => {
    deps.log.info({ url: `http://${config.HOST}:${config.PORT}` }, 'Vigil API listening');
  });
  server.requestTimeout = 30_000;
  const stop = (signal: string) => {
    deps.log.info({ signal }, 'shutting down API');
    server.close(
      () =>
        void relays
          .stop()
          .then(() => deps.close())
          .then(() => process.exit(0)),
    );
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
