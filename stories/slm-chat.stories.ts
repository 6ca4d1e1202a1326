import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../src/elements/slm-provider/slm-provider.js';
import '../src/elements/slm-chat/slm-chat.js';
import type { SlmProvider } from '../src/elements/slm-provider/slm-provider.js';
import type { SlmChat } from '../src/elements/slm-chat/slm-chat.js';
import type { ChatEntry } from '../src/chat/chat-types.js';
import { ScriptedLlmBackend, type ScriptedModel } from './support/scripted-backends.js';

const scripted = (llm: ScriptedModel, then?: (chat: SlmChat) => void) =>
  ref((el) => {
    const provider = el as SlmProvider | undefined;
    if (!provider || provider.dataset.scripted) return;
    provider.dataset.scripted = 'true';
    provider.engine.useBackends({ llm: () => new ScriptedLlmBackend({ downloadSeconds: 0.2, ...llm }) });
    const chat = provider.querySelector('slm-chat');
    if (chat && then) void chat.updateComplete.then(() => then(chat));
  });

const meta: Meta = {
  title: 'Elements/slm-chat',
  component: 'slm-chat',
  parameters: {
    docs: {
      description: {
        component:
          'Chat with the provider’s language model. Enter sends, Shift+Enter breaks a line, Escape stops. Answers are Markdown, sanitised. Commands (“add to plan: …”, “new visit”, “clear chat”, “export note”) are handled by the app. In these stories the model is scripted.',
      },
    },
  },
};
export default meta;

type Story = StoryObj;

const layout = (llm: ScriptedModel, then?: (chat: SlmChat) => void) => () => html`
  <slm-provider llm="qwen2.5-0.5b" hide-status ${scripted(llm, then)}>
    <slm-chat style="--slm-chat-height: 24rem"></slm-chat>
  </slm-provider>
`;

const conversation: ChatEntry[] = [
  { id: '1', role: 'user', content: 'What are red flags for a cough?', createdAt: 0 },
  { id: '2', role: 'assistant', content: 'Red flags:\n\n- **Haemoptysis**\n- Weight loss or night sweats\n- Breathlessness at rest\n- A cough beyond **3 weeks** in a smoker', createdAt: 0, status: 'done', answeredBy: 'main' },
];

/** Nothing asked yet. */
export const Empty: Story = { render: layout({}) };

/** A finished exchange, with Markdown in the answer. */
export const Conversation: Story = { render: layout({}, (chat) => (chat.messages = conversation)) };

/** An answer streaming in; Stop (or Escape) ends it and keeps what was written. */
export const Streaming: Story = { render: layout({ tokenDelayMs: 150 }, (chat) => void chat.send('Summarise a viral bronchitis plan.')) };

/** The model failed: the answer is marked, and `slm-error` says why. */
export const ModelError: Story = { render: layout({ failWith: { code: 'out-of-memory' } }, (chat) => void chat.send('Hello?')) };
