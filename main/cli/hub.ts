import { runHub } from './runHub';

runHub(process.argv.slice(2)).catch((err: unknown) => {
  console.error('roost: unexpected failure:', err);
  process.exit(1);
});
