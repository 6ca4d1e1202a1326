import { expect } from '@open-wc/testing';
import { RuleIntentClassifier } from '../../src/chat/rule-classifier.js';
import { HELD_OUT_MESSAGES, LABELLED_MESSAGES } from './labelled-messages.js';

describe('message router (rules)', () => {
  const classifier = new RuleIntentClassifier();
  const route = (message: string) => {
    const intent = classifier.classify(message);
    return intent.kind === 'command' ? 'app' : intent.kind;
  };

  function report(messages: typeof LABELLED_MESSAGES, label: string) {
    let right = 0;
    const misses: string[] = [];
    const woke = { needed: 0, total: 0, wrongly: 0, missed: 0 };
    for (const [message, expected] of messages) {
      const got = route(message);
      if (got === expected) right++;
      else misses.push(`“${message}” → ${got} (expected ${expected})`);
      if (got === 'reasoning') woke.total++;
      if (expected === 'reasoning') woke.needed++;
      if (got === 'reasoning' && expected !== 'reasoning') woke.wrongly++;
      if (got !== 'reasoning' && expected === 'reasoning') woke.missed++;
    }
    const n = messages.length;
    console.log(
      `router, ${label}: accuracy ${right}/${n} = ${((right / n) * 100).toFixed(1)}%; big model woke for ${woke.total}/${n} messages (${woke.needed} needed it; ${woke.wrongly} woken needlessly, ${woke.missed} left to the small model)${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`,
    );
    return { accuracy: right / n, n, woke };
  }

  it('routes the labelled set, and reports how often the big model woke', () => {
    const development = report(LABELLED_MESSAGES, 'development set');
    expect(development.n).to.be.at.least(40);
    expect(development.accuracy).to.be.at.least(0.9);
    // Waking the big model for everything would be "right" for reasoning and useless: it must stay asleep for most simple ones.
    expect(development.woke.total).to.be.lessThan(development.woke.needed + 4);
    const heldOut = report(HELD_OUT_MESSAGES, 'held-out set');
    expect(heldOut.accuracy).to.be.at.least(0.6);
  });

  it('takes the argument of a command', () => {
    expect(classifier.classify('Add to plan: recheck potassium in 1 week')).to.deep.equal({ kind: 'command', command: 'add-to-plan', argument: 'recheck potassium in 1 week' });
    expect(classifier.classify('export the note as markdown')).to.deep.equal({ kind: 'command', command: 'export', argument: 'markdown' });
  });

  it('does not mistake a question about plans for a command', () => {
    expect(classifier.classify('What should we add to the plan for her asthma?').kind).to.equal('reasoning');
  });
});
