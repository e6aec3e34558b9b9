// CodeMirror 6 over the studio's plain <textarea>: loaded only when JavaScript runs, so the form still
// edits and saves without it. The textarea stays in the form (hidden) and always holds the text, so
// saving posts exactly what the editor shows.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';

export interface MarkdownEditor {
	destroy(): void;
}

/**
 * Replaces `textarea` on screen with a Markdown editor. `onChange` gets the text after every change;
 * the editor takes the textarea's language, label and description so screen readers announce it the same.
 */
export function attachMarkdownEditor(textarea: HTMLTextAreaElement, onChange: (text: string) => void): MarkdownEditor {
	// tabindex: the text stays reachable by keyboard (and so its scrolling region) even when read-only,
	// where CodeMirror drops contenteditable.
	const attributes: Record<string, string> = { spellcheck: 'false', tabindex: '0' };
	for (const name of ['lang', 'aria-describedby', 'aria-labelledby']) {
		const value = textarea.getAttribute(name);
		if (value) attributes[name] = value;
	}
	const label = textarea.id ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`) : null;
	if (label && !attributes['aria-labelledby']) {
		label.id ||= `${textarea.id}-label`;
		attributes['aria-labelledby'] = label.id;
	}
	const view = new EditorView({
		parent: textarea.parentElement!,
		state: EditorState.create({
			doc: textarea.value,
			extensions: [
				lineNumbers(),
				history(),
				drawSelection(),
				highlightActiveLine(),
				markdown(),
				EditorView.lineWrapping,
				EditorState.readOnly.of(textarea.readOnly),
				EditorView.editable.of(!textarea.readOnly),
				// Tab is left to the browser (moving focus), so keyboard users are never trapped in the editor.
				keymap.of([...defaultKeymap, ...historyKeymap]),
				EditorView.contentAttributes.of(attributes),
				EditorView.updateListener.of((update) => {
					if (!update.docChanged) return;
					textarea.value = update.state.doc.toString();
					onChange(textarea.value);
				})
			]
		})
	});
	textarea.after(view.dom);
	textarea.hidden = true;
	return {
		destroy() {
			view.destroy();
			textarea.hidden = false;
		}
	};
}
