import type { DomainModule } from '../module';

export const trainingModule: DomainModule = { name: 'training' };
