CREATE TABLE "admin_replacements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"from_account_id" uuid NOT NULL,
	"to_phone" varchar(11) NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "admin_replacements_status_ck" CHECK ("admin_replacements"."status" in ('pending','accepted','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "checker_bindings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"bound_from" timestamp with time zone,
	"approved_by_account_id" uuid,
	"unbound_at" timestamp with time zone,
	"unbound_by_account_id" uuid,
	"end_reason" text,
	CONSTRAINT "checker_bindings_end_reason_ck" CHECK ("checker_bindings"."end_reason" is null or "checker_bindings"."end_reason" in ('self','removed','rejected','became_admin')),
	CONSTRAINT "checker_bindings_range_ck" CHECK ("checker_bindings"."unbound_at" is null or "checker_bindings"."bound_from" is null or "checker_bindings"."unbound_at" >= "checker_bindings"."bound_from")
);
--> statement-breakpoint
CREATE TABLE "checker_removals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"removed_at" timestamp with time zone NOT NULL,
	"removed_by_account_id" uuid NOT NULL,
	"allowed_again_at" timestamp with time zone,
	"allowed_again_by_account_id" uuid
);
--> statement-breakpoint
CREATE TABLE "venue_info_edits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"edited_by_account_id" uuid NOT NULL,
	"edited_at" timestamp with time zone NOT NULL,
	"before" text NOT NULL,
	"after" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "venues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"township_code" varchar(12) NOT NULL,
	"address" text NOT NULL,
	"contact_phone" varchar(20) NOT NULL,
	"invite_code" varchar(8) NOT NULL,
	"binding_mode" text DEFAULT 'approval' NOT NULL,
	"admin_account_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venues_type_ck" CHECK ("venues"."type" in ('residential_gate','office','retail','dining_lodging','culture_entertainment','sports_recreation','transport','other')),
	CONSTRAINT "venues_binding_mode_ck" CHECK ("venues"."binding_mode" in ('approval','immediate'))
);
--> statement-breakpoint
ALTER TABLE "admin_replacements" ADD CONSTRAINT "admin_replacements_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checker_bindings" ADD CONSTRAINT "checker_bindings_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checker_bindings" ADD CONSTRAINT "checker_bindings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checker_removals" ADD CONSTRAINT "checker_removals_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checker_removals" ADD CONSTRAINT "checker_removals_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_info_edits" ADD CONSTRAINT "venue_info_edits_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_admin_account_id_accounts_id_fk" FOREIGN KEY ("admin_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_replacements_pending_uq" ON "admin_replacements" USING btree ("venue_id") WHERE "admin_replacements"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "admin_replacements_to_phone_idx" ON "admin_replacements" USING btree ("to_phone","status");--> statement-breakpoint
CREATE UNIQUE INDEX "checker_bindings_open_uq" ON "checker_bindings" USING btree ("venue_id","account_id") WHERE "checker_bindings"."unbound_at" is null;--> statement-breakpoint
CREATE INDEX "checker_bindings_account_idx" ON "checker_bindings" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "checker_bindings_venue_idx" ON "checker_bindings" USING btree ("venue_id","bound_from");--> statement-breakpoint
CREATE UNIQUE INDEX "checker_removals_active_uq" ON "checker_removals" USING btree ("venue_id","account_id") WHERE "checker_removals"."allowed_again_at" is null;--> statement-breakpoint
CREATE INDEX "venue_info_edits_venue_idx" ON "venue_info_edits" USING btree ("venue_id","edited_at");--> statement-breakpoint
CREATE UNIQUE INDEX "venues_invite_code_uq" ON "venues" USING btree ("invite_code");--> statement-breakpoint
CREATE UNIQUE INDEX "venues_admin_uq" ON "venues" USING btree ("admin_account_id");