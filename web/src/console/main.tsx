import { render } from "preact";
import { Console } from "./Console";
import "./console.css";

render(<Console />, document.getElementById("console")!);
