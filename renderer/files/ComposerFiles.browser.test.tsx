import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { ClientContext } from '../app/clientContext';
import { ConversationView } from '../messages/ConversationView';
import { CONVERSATION_ID, messages } from '../testing/conversationFixtures';
import { atRest, distanceFromBottom } from '../testing/scrollGeometry';
import { FakeConversationClient } from '../testing/FakeConversationClient';
import { FileTransferError } from './fileErrors';
import { FilesContext, type FilesService } from './filesContext';
import { MemoryFileOutbox } from './memoryFileOutbox';
import { OutgoingFiles } from './OutgoingFiles';
import '../ui/base.css';
import '../testing/testFrame.css';

/**
 * Attaching files in the composer, in Chromium inside the real conversation screen on a fake client: chips
 * before sending, progress and Cancel while the files go, and the message sent with them. The uploads are a
 * stand-in the test finishes by hand (the real ones are covered end to end in e2e/files.e2e.ts).
 */

type UploadHooks = { signal: AbortSignal; onUploaded: (bytes: number) => void };
type Call = { file: File; hooks: UploadHooks; resolve: (uploadId: string) => void; reject: (e: Error) => void };

const UPLOAD_ID = 'U'.repeat(22);

async function open() {
  const client = new FakeConversationClient({ messages: messages(1, 60), readSeq: 60, reachedStart: true });
  const calls: Call[] = [];
  const discarded: string[] = [];
  let ids = 0;
  const outgoing = new OutgoingFiles({
    store: new MemoryFileOutbox(),
    transfer: {
      describe: () => Promise.resolve({ sha256: 'a'.repeat(64) }),
      upload: (blob, _sha256, hooks) =>
        new Promise<string>((resolve, reject) => {
          calls.push({ file: blob as File, hooks, resolve, reject });
          hooks.signal.addEventListener('abort', () => reject(hooks.signal.reason as Error));
        }),
    },
    send: (conversationId, text, attachments) => client.send(conversationId, text, attachments),
    // The fake hub never acknowledges: once handed over, a message is the sync client's.
    pendingOf: () => undefined,
    discardPending: () => {},
    discard: (uploadId) => {
      discarded.push(uploadId);
      return Promise.resolve();
    },
    newId: () => `message-${++ids}`,
    now: () => performance.now(),
  });
  outgoing.setReady(true);
  const files: FilesService = { available: true, outgoing, sessionReady: true, generation: 0, imageFailed: () => {} };
  const screen = await render(
    <ClientContext.Provider value={client.asRoostClient()}>
      <FilesContext.Provider value={files}>
        <div className="test-frame">
          <ConversationView id={CONVERSATION_ID} onBack={() => {}} />
        </div>
      </FilesContext.Provider>
    </ClientContext.Provider>,
  );
  return { client, calls, discarded, screen };
}

const file = (name: string, size = 10, type = 'text/plain') => new File([new Uint8Array(size)], name, { type });

function transferWith(items: File[]): DataTransfer {
  const data = new DataTransfer();
  for (const item of items) data.items.add(item);
  return data;
}

describe('choosing files', () => {
  test('the picker adds chips that can be removed, by keyboard too, before sending', async () => {
    const { screen } = await open();
    await userEvent.upload(screen.getByTestId('attach-input'), [file('notes.txt'), file('setup.exe', 2_000_000)]);

    const chips = screen.getByTestId('file-chip');
    await expect.poll(() => chips.elements().length).toBe(2);
    await expect.element(chips.nth(1)).toHaveTextContent('setup.exe');
    await expect.element(chips.nth(1)).toHaveTextContent('2.0 MB');
    screen.getByRole('button', { name: 'Remove notes.txt' }).element().focus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => chips.elements().length).toBe(1);
    await expect.element(chips.first()).toHaveTextContent('setup.exe');
  });

  test('the newest message stays in view as the chips take room from the list', async () => {
    const { screen } = await open();
    const scroller = screen.getByTestId('message-scroller').element() as HTMLElement;
    await expect.poll(() => distanceFromBottom(scroller)).toBeLessThanOrEqual(1);
    await atRest(scroller);
    const before = scroller.clientHeight;
    await userEvent.upload(screen.getByTestId('attach-input'), [file('a.txt'), file('b.txt')]);
    await expect.poll(() => scroller.clientHeight).toBeLessThan(before);
    await atRest(scroller);
    expect(distanceFromBottom(scroller)).toBeLessThanOrEqual(1);
  });

  test('the attach button has a name and opens the picker', async () => {
    const { screen } = await open();
    await expect.element(screen.getByRole('button', { name: 'Attach files' })).toBeEnabled();
  });

  test('files dropped anywhere on the conversation are attached; folders are not', async () => {
    const { screen } = await open();
    const view = screen.getByTestId('conversation-view').element();
    const data = transferWith([file('dropped.pdf', 10, 'application/pdf')]);
    view.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
    await expect.poll(() => view.classList.contains('conversation--dropping')).toBe(true);
    view.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    await expect.element(screen.getByTestId('file-chip')).toHaveTextContent('dropped.pdf');
    expect(view.classList.contains('conversation--dropping')).toBe(false);
  });

  test('a picture pasted into the message box is attached, and pasted text stays text', async () => {
    const { screen } = await open();
    const box = screen.getByTestId('composer').element();
    const image = file('image.png', 64, 'image/png');
    box.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: transferWith([image]), bubbles: true, cancelable: true }),
    );
    await expect.element(screen.getByTestId('file-chip')).toHaveTextContent('image.png');

    const text = new DataTransfer();
    text.setData('text/plain', 'hello');
    const pasted = new ClipboardEvent('paste', { clipboardData: text, bubbles: true, cancelable: true });
    box.dispatchEvent(pasted);
    expect(pasted.defaultPrevented).toBe(false);
    expect(screen.getByTestId('file-chip').elements()).toHaveLength(1);
  });

  test('at most 10 files per message, saying what was left out', async () => {
    const { screen } = await open();
    const many = Array.from({ length: 12 }, (_, i) => file(`f${i}.txt`));
    await userEvent.upload(screen.getByTestId('attach-input'), many);
    await expect.poll(() => screen.getByTestId('file-chip').elements().length).toBe(10);
    await expect.element(screen.getByRole('alert')).toHaveTextContent('at most 10 files; 2 not added');
  });
});

describe('sending files', () => {
  test('files alone can be sent: progress shows, then the message goes with every file, in order', async () => {
    const { calls, client, screen } = await open();
    await userEvent.upload(screen.getByTestId('attach-input'), [file('a.txt', 1000), file('b.txt', 3000)]);
    const send = screen.getByTestId('send-button');
    await expect.element(send).toBeEnabled();
    await userEvent.click(send);

    await expect.poll(() => screen.getByTestId('file-chip').elements().length).toBe(0);
    const transfer = screen.getByTestId('transfer');
    await expect.element(transfer).toHaveTextContent('2 files');
    await expect.poll(() => calls.length).toBe(1);
    calls[0]!.hooks.onUploaded(1000);
    calls[0]!.resolve(UPLOAD_ID);
    await expect.poll(() => calls.length).toBe(2);
    calls[1]!.hooks.onUploaded(1000);
    await expect.element(transfer).toHaveAttribute('data-phase', 'uploading');
    await expect.element(transfer).toHaveTextContent('2.0 KB of 4.0 KB · 50%');
    await expect.element(screen.getByRole('progressbar', { name: 'Sending 2 files' })).toHaveValue(50);
    expect(client.conversation.pending).toHaveLength(0);

    calls[1]!.resolve(UPLOAD_ID);
    await expect.poll(() => screen.getByTestId('transfer').elements().length).toBe(0);
    const [entry] = client.conversation.pending;
    expect(entry?.text).toBe('');
    expect(entry?.attachments?.map((a) => a.name)).toEqual(['a.txt', 'b.txt']);
    await expect.poll(() => screen.getByTestId('file-card').elements().length).toBe(2);
  });

  test('Cancel stops the transfer, deletes what was uploaded and sends nothing', async () => {
    const { calls, client, discarded, screen } = await open();
    await userEvent.upload(screen.getByTestId('attach-input'), [file('a.txt'), file('b.txt')]);
    await userEvent.fill(screen.getByTestId('composer'), 'with files');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => calls.length).toBe(1);
    calls[0]!.resolve(UPLOAD_ID);
    await expect.poll(() => calls.length).toBe(2);

    await userEvent.click(screen.getByRole('button', { name: 'Cancel sending 2 files' }));
    await expect.poll(() => screen.getByTestId('transfer').elements().length).toBe(0);
    expect(calls[1]!.hooks.signal.aborted).toBe(true);
    expect(discarded).toEqual(['U'.repeat(22)]);
    expect(client.conversation.pending).toHaveLength(0);
  });

  test("a refused upload shows the hub's words, and Try again resumes from the file that failed", async () => {
    const { calls, client, screen } = await open();
    await userEvent.upload(screen.getByTestId('attach-input'), [file('a.txt'), file('big.iso')]);
    await userEvent.click(screen.getByTestId('send-button'));
    await expect.poll(() => calls.length).toBe(1);
    calls[0]!.resolve(UPLOAD_ID);
    await expect.poll(() => calls.length).toBe(2);
    calls[1]!.reject(new FileTransferError('FILE_QUOTA_EXCEEDED', 'You have used your 20 GB for files.', 507));

    const transfer = screen.getByTestId('transfer');
    await expect.element(transfer).toHaveAttribute('data-phase', 'failed');
    await expect
      .element(transfer.getByRole('alert'))
      .toHaveTextContent('Not sent: You have used your 20 GB for files.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await expect.poll(() => calls.length).toBe(3);
    expect(calls[2]!.file.name).toBe('big.iso');
    calls[2]!.resolve(UPLOAD_ID);
    await expect.poll(() => client.conversation.pending.length).toBe(1);
  });
});

describe('photo details', () => {
  /** A JPEG with a GPS-bearing Exif block (APP1) between its header and its end. */
  function jpegWithGps(): File {
    const exif = new TextEncoder().encode('Exif\0\0MM\0*\0\0\0\x08\0\0GPSLatitude 48.8584N');
    const app1 = [0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff, ...exif];
    const scan = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34, 0xff, 0xd9];
    return new File([new Uint8Array([0xff, 0xd8, ...app1, ...scan])], 'eiffel.jpg', { type: 'image/jpeg' });
  }
  const text = async (f: File) => new TextDecoder('latin1').decode(await f.arrayBuffer());

  test('a picture goes without its location unless the person keeps it, for that message only', async () => {
    const { calls, screen } = await open();
    const keep = screen.getByRole('checkbox', { name: /Keep photo details/ });
    await userEvent.upload(screen.getByTestId('attach-input'), [jpegWithGps()]);
    await expect.element(keep).not.toBeChecked();
    await userEvent.click(screen.getByTestId('send-button'));
    await expect.poll(() => calls.length).toBe(1);
    expect(await text(calls[0]!.file)).not.toContain('GPSLatitude');
    expect(calls[0]!.file.name).toBe('eiffel.jpg');

    await userEvent.upload(screen.getByTestId('attach-input'), [jpegWithGps()]);
    await userEvent.click(keep);
    await userEvent.click(screen.getByTestId('send-button'));
    await expect.poll(() => calls.length).toBe(2);
    expect(await text(calls[1]!.file)).toContain('GPSLatitude');
    // Not a setting: the next picture is stripped again.
    await userEvent.upload(screen.getByTestId('attach-input'), [jpegWithGps()]);
    await expect.element(screen.getByRole('checkbox', { name: /Keep photo details/ })).not.toBeChecked();
  });
});
