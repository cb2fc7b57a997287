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

describe('FileSession from another origin (the desktop window)', () => {
  const HUB = 'https://192.168.1.20:7420';
  const SECRET = 's'.repeat(43);

  function desktopHub(answers: Array<() => Response> = []) {
    const seen: Array<{ url: string; headers: Headers; credentials: RequestCredentials | undefined }> = [];
    let sessions = 0;
    const fetchImpl = (url: string, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      seen.push({ url, headers, credentials: init?.credentials });
      if (url === `${HUB}${FILE_SESSION_PATH}`)
        return Promise.resolve(Response.json({ session: `${++sessions}`.padEnd(43, 's'), expiresAt: 1 }));
      return Promise.resolve(answers.shift()?.() ?? new Response('bytes'));
    };
    const session = new FileSession(
      () => Promise.resolve({ ticket: 'ticket' }),
      fetchImpl as unknown as typeof fetch,
      HUB,
    );
    return { seen, session };
  }

  it('asks for the session in the body and sends it as Authorization to the hub, never a cookie', async () => {
    const { seen, session } = desktopHub();
    const blob = await session.fetchBlob('/api/files/general/6/0');
    expect(await blob.text()).toBe('bytes');
    expect(seen.map((s) => s.url)).toEqual([`${HUB}/api/files/session`, `${HUB}/api/files/general/6/0`]);
    expect(seen[0]!.headers.get('Roost-Session')).toBe('header');
    expect(seen[0]!.headers.get('Roost-Ticket')).toBe('ticket');
    expect(seen[1]!.headers.get('Authorization')).toBe(`Roost-Session 1${SECRET.slice(1)}`);
    expect(seen.every((s) => s.credentials === 'omit')).toBe(true);
    // Never in a URL.
    expect(seen.some((s) => s.url.includes(SECRET.slice(1)))).toBe(false);
    expect(session.url('/api/files/uploads')).toBe(`${HUB}/api/files/uploads`);
  });

  it('renews once on FILE_SESSION_INVALID and sends the new session', async () => {
    const { seen, session } = desktopHub([sessionGone]);
    await session.fetch('/api/files/uploads/x', { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(seen.map((s) => s.headers.get('Authorization')?.slice(0, 15) ?? 'ticket')).toEqual([
      'ticket',
      'Roost-Session 1',
      'ticket',
      'Roost-Session 2',
    ]);
    expect(seen[3]!.headers.get('Tus-Resumable')).toBe('1.0.0');
  });

  it('a refused download is an error, not bytes', async () => {
    const { session } = desktopHub([
      () => Response.json({ error: { code: 'FILE_NOT_FOUND', message: 'No such file.' } }, { status: 404 }),
    ]);
    await expect(session.fetchBlob('/api/files/general/6/0')).rejects.toThrow('No such file.');
  });
});
