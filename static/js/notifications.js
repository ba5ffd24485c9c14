// New notifications arrive on this person's own room; the header's count goes up and a
// polite live region reads the news once, without moving focus.
import { _ } from "./i18n.js";

const link = document.getElementById("notifications-link");
const badge = document.getElementById("unread-count");
const announcer = document.getElementById("notification-announcer");
if (link && badge && window.io) {
  let unread = Number(link.dataset.unread || 0);
  const socket = window.io({ transports: (document.querySelector('meta[name="live-transports"]')?.content || "websocket").split(",") });
  socket.on("notification", (notification) => {
    unread += 1;
    link.dataset.unread = String(unread);
    badge.hidden = false;
    badge.firstChild.textContent = ` ${unread}`;
    if (announcer) announcer.textContent = _("New notification: %(text)s", { text: notification.text });
    const list = document.getElementById("notification-list");
    if (list) {
      const item = document.createElement("li");
      item.className = "notification unread";
      const anchor = document.createElement("a");
      anchor.href = notification.url;
      anchor.textContent = notification.text;
      item.append(anchor);
      list.prepend(item);
    }
  });
}
