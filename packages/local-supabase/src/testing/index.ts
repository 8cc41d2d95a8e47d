export { latestMail, type Mail, mailsTo } from '#src/testing/mailbox.ts'
export {
  type Actor,
  createTestDatabase,
  type Login,
  type Query,
  type Session,
  type TestDatabase,
  type TestUser,
} from '#src/testing/test-database.ts'
export { createTestStack, type TestStack } from '#src/testing/test-stack.ts'
