import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BundleOptions, bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

const ROOT = resolve(__dirname, '../../..');
export const WORKFLOWS_PATH = resolve(ROOT, 'packages/domains/src/workflows.ts');
export const PREBUILT_BUNDLE = resolve(ROOT, 'dist/workflow-bundle.js');

/** The bundler resolves the same @vigil/* aliases as tsconfig.json. */
export const bundleOptions: BundleOptions = {
  workflowsPath: WORKFLOWS_PATH,
  webpackConfigHook: (config) => {
    config.resolve = config.resolve ?? {};
    config.resolve.alias = {
      ...(config.resolve.alias as Record<string, string>),
      '@vigil/kernel': resolve(ROOT, 'packages/kernel/src'),
      '@vigil/domains': resolve(ROOT, 'packages/domains/src'),
    };
    return config;
  },
};

export async function buildBundle(workflowsPath = WORKFLOWS_PATH): Promise<{ code: string }> {
  return bundleWorkflowCode({ ...bundleOptions, workflowsPath, logger: new DefaultLogger('WARN') });
}

export const hasPrebuiltBundle = (): boolean => existsSync(PREBUILT_BUNDLE);
