import { setCustomElementsManifest } from '@storybook/web-components-vite';
import type { Preview } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json';

interface Named {
  name: string;
}
interface Member extends Named {
  privacy?: string;
  static?: boolean;
}
interface Declaration {
  tagName?: string;
  members?: Member[];
  cssParts?: Named[];
  slots?: Named[];
}
interface Manifest {
  modules: Array<{ declarations?: Declaration[] }>;
}

/**
 * The published manifest, shaped for Storybook's table: Storybook keys arg types by name
 * alone, so the part `device` would hide the attribute `device` and the part `status` the
 * slot `status`; parts are shown as `::part(…)` instead. The unnamed slot gets a name (it
 * would be dropped), and private fields are left out, as they are of the public API.
 */
function forStorybook(source: Manifest): Manifest {
  const element = (declaration: Declaration): Declaration => ({
    ...declaration,
    members: declaration.members?.filter((member) => (member.privacy ?? 'public') === 'public' && !member.static),
    cssParts: declaration.cssParts?.map((part) => ({ ...part, name: `::part(${part.name})` })),
    slots: declaration.slots?.map((slot) => ({ ...slot, name: slot.name || '(default)' })),
  });
  return {
    ...source,
    modules: source.modules.map((module) => ({ ...module, declarations: module.declarations?.map((d) => (d.tagName ? element(d) : d)) })),
  };
}

// Attributes, properties, events, slots, CSS parts and custom properties in the docs and
// controls come from the same manifest the package publishes.
setCustomElementsManifest(forStorybook(manifest as Manifest));

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    controls: { expanded: true },
  },
};

export default preview;
