import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// First, so that component stylesheets come after the base rules and can override them.
import './ui/base.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
