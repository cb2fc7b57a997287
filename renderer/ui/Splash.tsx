import type { ReactNode } from 'react';
import { Logo } from './Icon';
import './Splash.css';

/** A quiet full-screen message while something loads, or when there is nothing else to show. */
export function Splash({ message, children }: { message: string; children?: ReactNode }) {
  return (
    <main className="splash" aria-busy="true">
      <Logo size={48} />
      <p className="splash__message" role="status">
        {message}
      </p>
      {children}
    </main>
  );
}
