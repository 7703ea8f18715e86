// Feedback storage lives in src/store (SQLite and PostgreSQL); re-exported here for the chat layer.
export { openFeedbackStore, type SqliteFeedbackStore } from "../store/sqlite/feedback.js";
export type { FeedbackStore, StoredAnswer, VoteRow } from "../store/types.js";
