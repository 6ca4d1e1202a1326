import { mountVisitPanel } from '../../examples/vue/visit-panel.js';
import { describeVisitPanel } from './visit-panel-behaviour.js';

// Vue 3 compiles the example's template in the browser, with `slm-*` marked as custom
// elements; `:template.prop` and `:messages` set properties, `@slm-note-change` listens.
describeVisitPanel('Vue 3', mountVisitPanel);
