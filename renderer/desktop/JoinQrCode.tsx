import { useMemo } from 'react';
import { qrPath } from './qrMatrix';

/** Quiet zone around the code, in modules (the standard asks for four). */
const QUIET = 4;

/** The join link as a QR code for a phone's camera; dark on white whatever the theme, so every reader copes. */
export function JoinQrCode({ url, size = 184 }: { url: string; size?: number }) {
  const qr = useMemo(() => qrPath(url), [url]);
  const box = qr.size + QUIET * 2;
  return (
    <svg
      className="join-qr"
      width={size}
      height={size}
      viewBox={`${-QUIET} ${-QUIET} ${box} ${box}`}
      shapeRendering="crispEdges"
      role="img"
      aria-label="QR code of the join link"
      data-testid="join-qr"
      data-url={url}
    >
      <rect x={-QUIET} y={-QUIET} width={box} height={box} fill="#fff" />
      <path d={qr.path} fill="#000" />
    </svg>
  );
}
