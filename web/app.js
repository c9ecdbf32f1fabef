// Twofold's reference single-page app, its entry module: it draws the screen the API's state names.
import { refresh } from "./router.js";

refresh();
