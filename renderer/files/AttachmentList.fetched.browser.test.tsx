import { afterEach, describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { AttachmentWire } from '../../shared/protocol';
import { AttachmentList } from './AttachmentList';
import { FilesContext, type FilesService } from './filesContext';
import type { OutgoingFiles } from './OutgoingFiles';
import '../ui/base.css';

/**
 * Files in a page that is not on the hub's origin (the desktop window): the page cannot load them by their
 * path, so pictures are fetched (filesContext.fetchFile, the session in a header) and shown from blob: URLs that
 * go when the picture does, and Download fetches the file and saves it from a blob: URL under a safe name.
 */

const picture: AttachmentWire = {
  sha256: 'b'.repeat(64),
  name: 'dot.png',
  size: 100,
  type: 'image/png',
  image: { width: 40, height: 20 },
};
const file: AttachmentWire = { sha256: 'c'.repeat(64), name: 'CON.txt', size: 5, type: 'text/plain' };

async function pngBlob(width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.fillRect(0, 0, width, height);
  return canvas.convertToBlob({ type: 'image/png' });
}

function service(fetchFile: FilesService['fetchFile'], imageFailed = () => {}): FilesService {
  return { available: true, outgoing: {} as OutgoingFiles, sessionReady: true, generation: 1, imageFailed, fetchFile };
}

const saved: Array<{ href: string; download: string }> = [];
const keepDownloads = (event: MouseEvent) => {
  const link = event.target instanceof HTMLAnchorElement ? event.target : undefined;
  if (!link?.download) return;
  // Recorded instead of saved: the test reads the blob: URL itself.
  event.preventDefault();
  saved.push({ href: link.href, download: link.download });
};
document.addEventListener('click', keepDownloads, true);
afterEach(() => {
  saved.length = 0;
  vi.restoreAllMocks();
});

describe('files fetched with the session header (the desktop window)', () => {
  test('a picture is fetched and shown from a blob: URL, revoked when it goes', async () => {
    const blob = await pngBlob(40, 20);
    const fetched: string[] = [];
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    const fetchFile = (path: string) => {
      fetched.push(path);
      return Promise.resolve(blob);
    };
    const screen = await render(
      <FilesContext.Provider value={service(fetchFile)}>
        <AttachmentList conversationId="general" seq={6} attachments={[picture]} />
      </FilesContext.Provider>,
    );
    const img = screen.getByRole('img', { name: 'dot.png' });
    await expect.element(img).toHaveAttribute('src', expect.stringMatching(/^blob:/) as string);
    const src = img.element().getAttribute('src')!;
    await expect.poll(() => (img.element() as HTMLImageElement).naturalWidth).toBe(40);
    expect(fetched).toEqual(['/api/files/general/6/0']);
    await screen.unmount();
    expect(revoke).toHaveBeenCalledWith(src);
  });

  test('a picture the hub will not give says so, and asks for a new session', async () => {
    const imageFailed = vi.fn();
    const screen = await render(
      <FilesContext.Provider value={service(() => Promise.reject(new Error('401')), imageFailed)}>
        <AttachmentList conversationId="general" seq={6} attachments={[picture]} />
      </FilesContext.Provider>,
    );
    await expect.element(screen.getByText('Picture not available')).toBeVisible();
    expect(imageFailed).toHaveBeenCalledOnce();
  });

  test('Download fetches the file and saves it from a blob: URL, as bytes, under a safe name', async () => {
    const fetched: string[] = [];
    const fetchFile = (path: string) => {
      fetched.push(path);
      return Promise.resolve(new Blob(['hello'], { type: 'text/html' }));
    };
    const screen = await render(
      <FilesContext.Provider value={service(fetchFile)}>
        <AttachmentList conversationId="general" seq={7} attachments={[file]} />
      </FilesContext.Provider>,
    );
    // No link to the hub's path: the page could not send the session with it.
    expect(screen.getByRole('link').query()).toBeNull();
    await screen.getByRole('button', { name: 'Download CON.txt' }).click();
    await expect.poll(() => saved).toHaveLength(1);
    expect(fetched).toEqual(['/api/files/general/7/0']);
    expect(saved[0]!.download).toBe('_CON.txt');
    expect(saved[0]!.href).toMatch(/^blob:/);
    const bytes = await fetch(saved[0]!.href);
    expect(bytes.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(await bytes.text()).toBe('hello');
  });
});
