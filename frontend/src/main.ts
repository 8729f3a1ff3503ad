import "./styles/main.scss";
import { App } from "./app";
import { notFoundPage, pages } from "./routes";

// GOV.UK Frontend's JavaScript only runs when the body has this class (set here, not by an
// inline script: the server's Content-Security-Policy allows none).
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) document.body.classList.add("govuk-frontend-supported");

const root = document.getElementById("app");
if (root) {
  new App({ root, pages, notFound: notFoundPage }).start();
}
