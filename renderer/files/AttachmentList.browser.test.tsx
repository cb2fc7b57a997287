import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { AttachmentWire } from '../../shared/protocol';
import { message, messages } from '../testing/conversationFixtures';
import { FakeConversationClient } from '../testing/FakeConversationClient';
import { renderConversation } from '../testing/renderConversation';
import { atRest, distanceFromBottom, messageElement } from '../testing/scrollGeometry';

/**
 * Files in the timeline, in Chromium inside the real conversation screen on a fake client: pictures take
 * their final size before a byte has loaded (the test's server has no such files, so they never load at
 * all), other files are cards with a safe download name, and the viewer moves through the pictures.
 */

const SHA = 'b'.repeat(64);
const picture = (name: string, width: number, height: number): AttachmentWire => ({
  sha256: SHA,
  name,
  size: 250_000,
  type: 'image/jpeg',
  image: { width, height },
});
const fileOf = (name: string, type = 'application/pdf'): AttachmentWire => ({
  sha256: SHA,
  name,
  size: 1_200_000,
  type,
});

/** 1-5 plain; 6 Bob's two pictures and a PDF; 7 Ann's file with a Windows device name; 8 a program; 9 a picture. */
function history() {
  return [
    ...messages(1, 5),
    message(6, {
      text: 'From the trip',
      attachments: [picture('wide.jpg', 1600, 900), picture('tall.jpg', 600, 800), fileOf('plan.pdf')],
    }),
    message(7, { text: '', attachments: [fileOf('CON.txt', 'text/plain')] }),
    message(8, { text: 'installer', attachments: [fileOf('setup.exe', 'application/octet-stream')] }),
    message(9, { text: 'last one', attachments: [picture('last.jpg', 100, 50)] }),
  ];
}

async function open() {
  const client = new FakeConversationClient({ messages: history(), readSeq: 9, reachedStart: true });
  const rendered = await renderConversation(client);
  await expect.poll(() => messageElement(rendered.scroller, 9)).toBeDefined();
  return { client, ...rendered };
}

const box = (element: Element) => {
  const rect = element.getBoundingClientRect();
  return { width: Math.round(rect.width), height: Math.round(rect.height) };
};

describe('pictures in the timeline', () => {
  test('take their fitted size at their own aspect ratio, whether loaded or not', async () => {
    const { scroller } = await open();
    const images = messageElement(scroller, 6)!.querySelectorAll('[data-testid="attachment-image"]');
    expect(box(images[0]!)).toEqual({ width: 320, height: 180 });
    expect(box(images[1]!)).toEqual({ width: 240, height: 320 });
    // A small picture is not blown up.
    const small = messageElement(scroller, 9)!.querySelector('[data-testid="attachment-image"]')!;
    expect(box(small)).toEqual({ width: 100, height: 50 });
  });

  test('the list opens at the newest message and stays there as pictures settle', async () => {
    const { scroller } = await open();
    await expect.poll(() => distanceFromBottom(scroller)).toBeLessThanOrEqual(1);
    const row = messageElement(scroller, 9)!;
    const before = row.getBoundingClientRect().height;
    // The test server has no such file: the picture fails, and its box keeps its place.
    await expect.poll(() => row.querySelector('.attachment-image__broken')).not.toBeNull();
    await atRest(scroller);
    expect(row.getBoundingClientRect().height).toBe(before);
    expect(distanceFromBottom(scroller)).toBeLessThanOrEqual(1);
  });

  test('open in a viewer that the arrow keys move through, across messages, and Esc closes', async () => {
    const { screen } = await open();
    const opener = screen.getByRole('button', { name: 'Open picture wide.jpg' });
    opener.element().focus();
    await userEvent.keyboard('{Enter}');
    const viewer = screen.getByTestId('image-viewer');
    await expect.element(viewer.getByRole('heading', { name: 'wide.jpg' })).toBeVisible();
    await expect.element(viewer).toHaveTextContent('1 of 3');
    await expect.element(viewer.getByRole('link', { name: 'Save wide.jpg' })).toHaveAttribute('download', 'wide.jpg');

    await userEvent.keyboard('{ArrowRight}');
    await expect.element(viewer.getByRole('heading', { name: 'tall.jpg' })).toBeVisible();
    await userEvent.keyboard('{ArrowRight}');
    await expect.element(viewer.getByRole('heading', { name: 'last.jpg' })).toBeVisible();
    await expect.element(viewer).toHaveTextContent('3 of 3');
    // The last stays the last.
    await userEvent.keyboard('{ArrowRight}');
    await expect.element(viewer.getByRole('heading', { name: 'last.jpg' })).toBeVisible();
    await userEvent.keyboard('{ArrowLeft}');
    await expect.element(viewer.getByRole('heading', { name: 'tall.jpg' })).toBeVisible();

    await userEvent.keyboard('{Escape}');
    await expect.element(viewer).not.toBeVisible();
    expect(document.activeElement).toBe(opener.element());
  });
});

describe('other files in the timeline', () => {
  test('are cards with name, size and type, and a link that saves them under a safe name', async () => {
    const { scroller, screen } = await open();
    const pdf = screen.getByTestId('file-card').filter({ hasText: 'plan.pdf' });
    await expect.element(pdf).toHaveTextContent('1.2 MB · application/pdf');
    const link = pdf.getByRole('link', { name: 'Download plan.pdf' });
    await expect.element(link).toHaveAttribute('href', '/api/files/general/6/2');
    await expect.element(link).toHaveAttribute('download', 'plan.pdf');
    expect(pdf.getByTestId('executable-warning').query()).toBeNull();

    const device = messageElement(scroller, 7)!.querySelector('a[download]')!;
    expect(device.getAttribute('download')).toBe('_CON.txt');
  });

  test('a program carries a warning', async () => {
    const { screen } = await open();
    const exe = screen.getByTestId('file-card').filter({ hasText: 'setup.exe' });
    await expect.element(exe.getByTestId('executable-warning')).toHaveTextContent('This file can run programs');
  });
});
