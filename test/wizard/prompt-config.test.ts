// The adapter's prompt configs rendered by the real Inquirer prompts with
// @inquirer/testing's render() (no module mocking in this file).
import { confirm, input, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { confirmConfig, inputConfig, selectConfig } from '../../src/wizard/prompts.js';

describe('prompt configs from the adapter, in the real prompts', () => {
  it('a select with bounce text in message and choices shows escapes, not control sequences', async () => {
    const { getScreen, events, answer } = await render(
      select,
      selectConfig({
        message: 'Run the DNS checks (MX) for evil\u001b[31m.com now?',
        choices: [
          { value: '0', name: 'alice@contoso.com\u001b]8;;https://x.test\u0007click\u001b]8;;\u0007' },
          { value: '1', name: 'carol@contoso.com\u202egnp.exe\nsecond line' },
        ],
      }),
    );
    const raw = getScreen({ raw: true });
    expect(raw).toContain('evil\\x1b[31m.com');
    expect(raw).toContain('alice@contoso.com\\x1b]8;;https://x.test\\x07click');
    expect(raw).toContain('carol@contoso.com\\u202egnp.exe second line');
    expect(raw).not.toMatch(/\u001b\]|\u202e|\u0007/);
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toBe('1');
  });

  it('the domain input starts filled in and can be edited', async () => {
    const { getScreen, events, answer } = await render(
      input,
      inputConfig({ message: 'Domain to check:', default: 'contoso.com', validate: () => true }),
    );
    expect(getScreen()).toContain('Domain to check: contoso.com');
    for (let i = 0; i < 'contoso.com'.length; i++) events.keypress('backspace');
    events.type('fabrikam.com');
    events.keypress('enter');
    await expect(answer).resolves.toBe('fabrikam.com');
  });

  it('validation messages are sanitised too', async () => {
    // The validation never passes, so the prompt is ended here; left open, it rejected with
    // ExitPromptError when the test worker exited, an unhandled rejection that failed the run.
    const controller = new AbortController();
    const { getScreen, events, nextRender, answer } = await render(
      input,
      inputConfig({ message: 'Path of the saved bounce:', validate: (v) => `${v}: no such file` }),
      { signal: controller.signal },
    );
    events.type('x\u001b[2J');
    events.keypress('enter');
    await nextRender();
    expect(getScreen({ raw: true })).not.toContain('\u001b[2J');
    controller.abort();
    await expect(answer).rejects.toMatchObject({ name: 'AbortPromptError' });
  });

  it('confirm: "Did this solve it?" defaults to no', async () => {
    const { getScreen, events, answer } = await render(confirm, confirmConfig({ message: 'Did this solve it?', default: false }));
    expect(getScreen()).toContain('Did this solve it? (y/N)');
    events.keypress('enter');
    await expect(answer).resolves.toBe(false);
  });
});
