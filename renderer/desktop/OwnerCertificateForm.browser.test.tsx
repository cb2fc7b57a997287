import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { OwnerCertificateForm } from './OwnerCertificateForm';
import '../ui/base.css';

describe('OwnerCertificateForm', () => {
  test('asks for both files, applies them, and offers to go back to the hub’s own certificate', async () => {
    const onApply = vi.fn(async () => undefined);
    const screen = await render(<OwnerCertificateForm current={undefined} onApply={onApply} />);
    await screen.getByLabelText('Certificate file').fill(' /etc/roost/hub.crt ');
    await screen.getByRole('button', { name: 'Use this certificate' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/both files/);
    expect(onApply).not.toHaveBeenCalled();
    await screen.getByLabelText('Key file').fill('/etc/roost/hub.key');
    await screen.getByRole('button', { name: 'Use this certificate' }).click();
    await vi.waitFor(() =>
      expect(onApply).toHaveBeenCalledWith({ certFile: '/etc/roost/hub.crt', keyFile: '/etc/roost/hub.key' }),
    );
  });

  test('shows why a certificate was refused, and can return to the hub’s own', async () => {
    const onApply = vi.fn(async () => 'That certificate cannot be used: it expired.');
    const current = { certFile: '/etc/roost/hub.crt', keyFile: '/etc/roost/hub.key' };
    const screen = await render(<OwnerCertificateForm current={current} onApply={onApply} />);
    await screen.getByRole('button', { name: 'Use this certificate' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/expired/);
    await screen.getByRole('button', { name: 'Use the hub’s own certificate' }).click();
    await vi.waitFor(() => expect(onApply).toHaveBeenLastCalledWith(undefined));
  });
});
