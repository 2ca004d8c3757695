/** The editor dashboard (GET /admin): state in a store, drawn by the renderer, changed by the controller. */
import { startDashboard } from './controller.ts';
import { createRenderer } from './render.ts';
import { INITIAL_STATE } from './state.ts';
import { createStore } from './store.ts';

const store = createStore(INITIAL_STATE);
const render = createRenderer();
render(store.get(), null);
store.subscribe(render);
startDashboard(store);
