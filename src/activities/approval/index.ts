export * from './send-approval-emails';
