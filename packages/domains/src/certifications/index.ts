import type { DomainModule } from '../module';

export const certificationsModule: DomainModule = { name: 'certifications' };
