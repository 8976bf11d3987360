import { createApp } from "./app.ts";

export { AmazonNotifications } from "./amazon/notifications.ts";
export { Directory } from "./directory/Directory.ts";
export { SellerRoom } from "./room/SellerRoom.ts";
export { SyncTestRoom } from "./room/sync/test-room.ts";

export default createApp();
