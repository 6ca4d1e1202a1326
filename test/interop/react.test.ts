import { mountVisitPanel } from '../../examples/react/visit-panel.js';
import { describeVisitPanel } from './visit-panel-behaviour.js';

// React 19 sets `template` and `messages` as properties (they are properties of the
// elements), writes `hide-status` and `max-length` as attributes, and listens through
// `onslm-note-change`-style props; these checks hold it to that in both directions.
describeVisitPanel('React 19', mountVisitPanel);
