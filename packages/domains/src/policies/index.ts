import type { DomainModule } from '../module';

export const policiesModule: DomainModule = { name: 'policies' };
