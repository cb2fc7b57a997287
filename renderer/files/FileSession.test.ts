import { describe, expect, it } from 'vitest';
import { FILE_SESSION_PATH } from '../../shared/protocol';
import { FileSession } from './FileSession';

type Seen = { url: string; method: string; ticket: string | null };

/** A hub's /api/files in miniature: sessions by ticket, and a list of answers for other requests. */
function fakeHub(answers: Array<() => Response> = []) {
  const seen: Seen[] = [];
  let tickets = 0;
  // FileSession passes paths as strings.
  const fetchImpl = (url: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({ url, method: init?.method ?? 'GET', ticket: headers.get('Roost-Ticket') });
    if (url === FILE_SESSION_PATH) return Promise.resolve(Response.json({ expiresAt: 1 }));
    return Promise.resolve(answers.shift()?.() ?? new Response(null, { status: 204 }));
  };
  const openTicket = () => Promise.resolve({ ticket: `ticket-${++tickets}` });
  return { seen, session: new FileSession(openTicket, fetchImpl as unknown as typeof fetch) };
}

const sessionGone = () =>
  Response.json({ error: { code: 'FILE_SESSION_INVALID', message: 'Open a new file session.' } }, { status: 401 });

describe('FileSession', () => {
  it('trades one ticket for a session, however many ask at once', async () => {
    const { seen, session } = fakeHub();
    await Promise.all([session.ensure(), session.ensure(), session.ensure()]);
    expect(seen).toEqual([{ url: FILE_SESSION_PATH, method: 'POST', ticket: 'ticket-1' }]);
  });

  it('asks again after a failed exchange, with a fresh ticket', async () => {
    let refuse = true;
    const seen: string[] = [];
    const session = new FileSession(() => Promise.resolve({ ticket: `t${seen.length}` }), ((
      _: string,
      init: RequestInit,
    ) => {
      seen.push(new Headers(init.headers).get('Roost-Ticket')!);
      const answer = refuse ? sessionGone() : Response.json({ expiresAt: 1 });
      refuse = false;
      return Promise.resolve(answer);
    }) as unknown as typeof fetch);
    await expect(session.ensure()).rejects.toThrow('Open a new file session.');
    await session.ensure();
    expect(seen).toEqual(['t0', 't1']);
  });

  it('opens a new session once when the hub no longer knows it, and repeats the request', async () => {
    const { seen, session } = fakeHub([sessionGone, () => new Response(null, { status: 204 })]);
    const response = await session.fetch('/api/files/uploads/x', { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(seen.map((s) => `${s.method} ${s.url} ${s.ticket ?? ''}`.trim())).toEqual([
      'POST /api/files/session ticket-1',
      'DELETE /api/files/uploads/x',
      'POST /api/files/session ticket-2',
      'DELETE /api/files/uploads/x',
    ]);
  });

  it('does not loop: a second refusal is the answer', async () => {
    const { seen, session } = fakeHub([sessionGone, sessionGone]);
    expect((await session.fetch('/api/files/x')).status).toBe(401);
    expect(seen).toHaveLength(4);
  });

  it('does not renew for other refusals', async () => {
    const notFound = () => Response.json({ error: { code: 'FILE_NOT_FOUND', message: 'No.' } }, { status: 404 });
    const { seen, session } = fakeHub([notFound]);
    expect((await session.fetch('/api/files/x')).status).toBe(404);
    expect(seen).toHaveLength(2);
  });
});
