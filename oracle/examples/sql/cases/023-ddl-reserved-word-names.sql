CREATE TABLE "select"("from" INTEGER, [where] TEXT);
INSERT INTO "select" VALUES (1, 'w');
SELECT "from", [where] FROM "select";
