// Learning records: xAPI-shaped statements, dispatched as DOM events 'gradlab-xapi' (bubbling,
// composed) by the widget they are about. Gradlab itself sends nothing anywhere: a course page
// (or an LMS bridge) listens and forwards them if it wants to; embed.html also posts them to
// its parent as {context: 'gradlab', type: 'xapi', statement}.
//
// Statement (no actor: the page knows who the learner is, Gradlab does not):
//   { verb: { id: 'http://adlnet.gov/expapi/verbs/<answered|completed|interacted>',
//             display: { 'en-US': '<verb>' } },
//     object: { id: '<tag>#<goal or question id>', objectType: 'Activity',
//               definition: { name: { 'en-US': '…' } } },
//     result?: { score?: { scaled, raw, min, max }, success?, completion?, response? },
//     timestamp: ISO 8601 }
// Emitted: 'interacted' on the first interaction with any widget (base.js); 'answered' for each
// checked practice-set answer (mapped from its 'gradlab-answer' event); 'completed' when a widget
// reaches its goal (exam-score: loss below goal-loss).

export const VERBS = {
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  interacted: 'http://adlnet.gov/expapi/verbs/interacted',
};

/**
 * Build a statement.
 * @param {'answered'|'completed'|'interacted'} verb
 * @param {{tag: string, goal?: string, name: string, result?: object}} what
 */
export function statement(verb, { tag, goal, name, result }) {
  const s = {
    verb: { id: VERBS[verb], display: { 'en-US': verb } },
    object: {
      id: goal ? `${tag}#${goal}` : tag,
      objectType: 'Activity',
      definition: { name: { 'en-US': name } },
    },
    timestamp: new Date().toISOString(),
  };
  if (result) s.result = result;
  return s;
}

/** A score result from a raw value in [min, max] (scaled into [0, 1]). */
export function score(raw, min, max) {
  const scaled = max > min ? Math.min(1, Math.max(0, (raw - min) / (max - min))) : 0;
  return { scaled, raw, min, max };
}

/** Dispatch a statement from `el` as a 'gradlab-xapi' event; returns the statement. */
export function emitStatement(el, verb, what) {
  const s = statement(verb, what);
  el.dispatchEvent(new CustomEvent('gradlab-xapi', { detail: s, bubbles: true, composed: true }));
  return s;
}

/**
 * Wire the standard statements of one widget (called once per connection by base.js):
 * 'interacted' on the first pointer/keyboard/input event inside it, and the per-widget
 * mappings below. Returns a clean-up function.
 */
export function watchWidget(widget) {
  const tag = widget.constructor.tag;
  const root = widget.shadowRoot;
  let interacted = false;
  const first = (event) => {
    if (interacted || !event.isTrusted) return;
    interacted = true;
    emitStatement(widget, 'interacted', { tag, name: `Used ${tag}` });
  };
  const types = ['pointerdown', 'keydown', 'input', 'change'];
  for (const type of types) root.addEventListener(type, first, true);

  const onAnswer = (event) => {
    if (event.target !== widget || !event.detail) return;
    const { question, correct, response } = event.detail;
    emitStatement(widget, 'answered', {
      tag, goal: String(question), name: `Practice question ${question}`,
      result: { success: Boolean(correct), response: String(response ?? ''),
        score: score(correct ? 1 : 0, 0, 1) },
    });
  };
  let completed = false;
  const onChange = (event) => {
    if (event.target !== widget || completed || tag !== 'gradlab-exam-score') return;
    const goal = widget.attrs?.['goal-loss'];
    const loss = event.detail?.loss;
    if (!(goal > 0) || !Number.isFinite(loss) || loss > goal) return;
    completed = true;
    emitStatement(widget, 'completed', {
      tag, goal: 'loss-below-goal', name: `Fit the line: loss below ${goal}`,
      result: { success: true, completion: true, score: score(1, 0, 1),
        extensions: { 'urn:gradlab:xapi:loss': loss, 'urn:gradlab:xapi:steps': event.detail.step } },
    });
  };
  widget.addEventListener('gradlab-answer', onAnswer);
  widget.addEventListener('gradlab-change', onChange);
  return () => {
    for (const type of types) root.removeEventListener(type, first, true);
    widget.removeEventListener('gradlab-answer', onAnswer);
    widget.removeEventListener('gradlab-change', onChange);
  };
}
