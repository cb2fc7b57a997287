import { memo } from 'react';
import { linkify } from './linkify';

/** Message text with http(s) links made clickable; all of it text nodes, never HTML. */
export const LinkifiedText = memo(function LinkifiedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, i) =>
        segment.kind === 'link' ? (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
});
