// How the link chart draws each kind of entity: a shape, a colour and an icon
// per FtM schema (Lucide icons, ISC licence, bundled: nothing from outside),
// and the font stack that covers every script in the data.
import {
  Ban,
  BookUser,
  Briefcase,
  Building2,
  Calendar,
  Car,
  CircleHelp,
  CreditCard,
  FileText,
  IdCard,
  Landmark,
  Mail,
  MapPin,
  Phone,
  Plane,
  Route,
  Ship,
  User,
  Wallet,
} from "lucide-static";

export const FONTS =
  '"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Georgian", ' +
  '"Noto Sans Armenian", "Noto Sans JP", "Noto Sans SC", sans-serif';

// schema: [shape, colour, icon]
const LOOKS = {
  Person: ["ellipse", "#2c6fbb", User],
  LegalEntity: ["round-rectangle", "#5b6b8c", Briefcase],
  Company: ["round-rectangle", "#8a5a1f", Building2],
  Organization: ["round-rectangle", "#8a5a1f", Building2],
  PublicBody: ["round-rectangle", "#6d4c41", Landmark],
  BankAccount: ["round-diamond", "#1e8449", Landmark],
  CryptoWallet: ["round-diamond", "#117a65", Wallet],
  Phone: ["round-octagon", "#0e7c9a", Phone],
  Passport: ["round-rectangle", "#7d3c98", BookUser],
  Identification: ["round-rectangle", "#7d3c98", IdCard],
  Vehicle: ["round-hexagon", "#b9770e", Car],
  Airplane: ["round-hexagon", "#b9770e", Plane],
  Vessel: ["round-hexagon", "#b9770e", Ship],
  Address: ["round-triangle", "#a93226", MapPin],
  Document: ["rectangle", "#566573", FileText],
  Email: ["rectangle", "#566573", Mail],
  Sanction: ["round-tag", "#922b21", Ban],
  Event: ["round-pentagon", "#af601a", Calendar],
  Trip: ["round-pentagon", "#af601a", Route],
  Payment: ["round-diamond", "#1e8449", CreditCard],
};
const OTHER = ["ellipse", "#5d6d7e", CircleHelp];

export const CATEGORY_COLOURS = {
  suspect: "#c0392b",
  convicted: "#7b1d1d",
  victim: "#6a3d9a",
  witness: "#1b7f79",
  informant: "#444444",
  contact: "#d68910",
  other: "#99a3ad",
};

const icons = new Map();

function dataUri(svg) {
  const white = svg.replaceAll("currentColor", "#ffffff").replace(/\s+/g, " ").trim();
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(white)}`;
}

function look(schema) {
  return LOOKS[schema] || OTHER;
}

export const shapeOf = (node) => look(node.data("schema"))[0];
export const colourOf = (node) => look(node.data("schema"))[1];
export function iconOf(node) {
  const schema = node.data("schema");
  if (!icons.has(schema)) icons.set(schema, dataUri(look(schema)[2]));
  return icons.get(schema);
}
export const borderOf = (node) => CATEGORY_COLOURS[node.data("category")] || "#ffffff";
