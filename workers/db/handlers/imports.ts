/**
 * imports.*: thin entries that load the import pipeline (parsers, MARC and XML readers, matching) on
 * first use, so opening a library does not pay for code most sessions never run.
 */
import type * as ActionsModule from '../import/actions';
import type { HandlerSlice } from './types';

let loading: Promise<typeof ActionsModule> | null = null;
const actions = () => (loading ??= import('../import/actions'));

export const importHandlers = {
  async 'imports.preview'(input, context) {
    return (await actions()).importActions['imports.preview'](input, context);
  },
  async 'imports.commit'(input, context) {
    const result = await (await actions()).importActions['imports.commit'](input, context);
    context.emit('import.committed', { previewId: input.previewId });
    return result;
  },
  async 'imports.cancel'(input) {
    // Nothing to cancel before the pipeline has ever loaded: no preview can exist yet.
    if (!loading) return { previewId: input.previewId, cancelled: false };
    return (await actions()).importActions['imports.cancel'](input);
  },
  async 'imports.export'(input, context) {
    return (await actions()).importActions['imports.export'](input, context);
  },
} satisfies HandlerSlice<'imports'>;
