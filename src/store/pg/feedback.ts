// Answers shown with buttons and their votes in PostgreSQL, so a button pressed on one replica finds an
// answer shown by another.
import type pg from "pg";
import type { Citation, MoreAnswer } from "../../types.js";
import { voterKey } from "../keys.js";
import type { FeedbackStore, StoredAnswer } from "../types.js";

type AnswerRow = {
  id: string;
  channel: string;
  question: string;
  abstained: boolean;
  citations: Citation[];
  more: MoreAnswer | null;
  created_at: string;
};
type VoteJoinRow = { answer_id: string; channel: string; value: number; voted_at: string; question: string; citations: Citation[] };

const storedAnswer = (row: AnswerRow): StoredAnswer => ({
  id: Number(row.id),
  channel: row.channel,
  question: row.question,
  abstained: row.abstained,
  citations: row.citations,
  more: row.more,
  createdAt: row.created_at,
});

export function pgFeedbackStore(pool: pg.Pool): FeedbackStore {
  const getAnswer = async (id: number) => {
    if (!Number.isSafeInteger(id)) return undefined;
    const r = await pool.query<AnswerRow>("SELECT * FROM answers WHERE id = $1", [id]);
    return r.rows[0] ? storedAnswer(r.rows[0]) : undefined;
  };
  return {
    async recordAnswer(channel, answer) {
      const r = await pool.query<{ id: string }>(
        `INSERT INTO answers (channel, question, abstained, mode, citations, more, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id`,
        [
          channel,
          answer.question,
          answer.abstained,
          answer.mode,
          JSON.stringify(answer.citations),
          answer.more ? JSON.stringify(answer.more) : null,
          new Date().toISOString(),
        ],
      );
      return Number(r.rows[0]!.id);
    },
    getAnswer,
    async vote(answerId, channel, userId, value) {
      if (!(await getAnswer(answerId))) return false;
      await pool.query(
        `INSERT INTO votes (answer_id, channel, voter, value, voted_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (answer_id, channel, voter) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at,
           seq = nextval(pg_get_serial_sequence('votes', 'seq'))`,
        [answerId, channel, voterKey(channel, userId), value, new Date().toISOString()],
      );
      return true;
    },
    async votes(limit = 100) {
      const r = await pool.query<VoteJoinRow>(
        `SELECT v.answer_id, v.channel, v.value, v.voted_at, a.question, a.citations
         FROM votes v JOIN answers a ON a.id = v.answer_id ORDER BY v.voted_at DESC, v.seq DESC LIMIT $1`,
        [limit],
      );
      return r.rows.map((row) => ({
        answerId: Number(row.answer_id),
        channel: row.channel,
        value: row.value as 1 | -1,
        question: row.question,
        citations: row.citations,
        votedAt: row.voted_at,
      }));
    },
    close: () => undefined,
  };
}
