import type { DomainModule } from '../module';

export const remindersModule: DomainModule = { name: 'reminders' };
