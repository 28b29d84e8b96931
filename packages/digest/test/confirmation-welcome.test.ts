import { describe, expect, it } from 'vitest';
import { renderConfirmation, renderWelcome } from '../src/index.ts';
import { branding } from './fixtures.ts';

const confirmUrl = 'https://paperboy.example.org/c/tok?sig=abc&x=1';
const welcomeInput = {
  manageUrl: 'https://paperboy.example.org/m/tok?sig=def',
  unsubscribeUrl: 'https://paperboy.example.org/u/tok?sig=ghi',
  sendHour: 7,
  timezone: 'Europe/Berlin',
  topics: ['diffusion', 'agents & tools'],
};

describe('renderConfirmation', () => {
  it('is filled completely, with the link escaped in HTML and verbatim in text', async () => {
    const mail = await renderConfirmation({ confirmUrl, expiresInHours: 48 }, branding);
    expect(mail.subject).toBe('Confirm your paperboy subscription');
    expect(mail.html).toContain('href="https://paperboy.example.org/c/tok?sig&#x3D;abc&amp;x&#x3D;1"');
    expect(mail.text).toContain(`Confirm subscription: ${confirmUrl}\n`);
    expect(mail.text).toContain('The link works for 48 hours.');
    expect(`${mail.html}${mail.text}`).not.toContain('%%');
    expect(mail.text).toContain(branding.postalAddress);
  });

  it('offers no unsubscribe link to an address that never subscribed', async () => {
    const mail = await renderConfirmation({ confirmUrl, expiresInHours: 1 }, branding);
    expect(mail.html).not.toContain('Unsubscribe');
    expect(mail.text).toContain('The link works for 1 hour.');
  });

  it('refuses a relative confirm link', async () => {
    await expect(renderConfirmation({ confirmUrl: '/c/tok', expiresInHours: 48 }, branding)).rejects.toThrow(
      RangeError,
    );
  });
});

describe('renderWelcome', () => {
  it('tells the reader when the digest comes and about which topics', async () => {
    const mail = await renderWelcome(welcomeInput, branding);
    expect(mail.subject).toBe('Welcome to paperboy: your digest arrives daily at 07:00');
    expect(mail.html).toContain('07:00 (Europe/Berlin)');
    expect(mail.html).toContain('Your topics: diffusion, agents &amp; tools.');
    expect(mail.text).toContain(`Unsubscribe: ${welcomeInput.unsubscribeUrl}\n`);
    expect(mail.text).toContain(`Manage preferences: ${welcomeInput.manageUrl}\n`);
    expect(mail.html).toContain('href="https://paperboy.example.org/u/tok?sig&#x3D;ghi"');
    expect(`${mail.html}${mail.text}`).not.toContain('%%');
  });

  it('explains what comes without topics', async () => {
    const mail = await renderWelcome({ ...welcomeInput, topics: [] }, branding);
    expect(mail.text).toContain('You chose no topics');
  });

  it('refuses an hour that does not exist', async () => {
    await expect(renderWelcome({ ...welcomeInput, sendHour: 24 }, branding)).rejects.toThrow(RangeError);
  });
});
