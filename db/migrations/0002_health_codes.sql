CREATE TABLE "code_displays" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"displayed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "guardianships" (
	"account_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guardianships_account_id_person_id_pk" PRIMARY KEY("account_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"id_type" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_number_enc" text NOT NULL,
	"id_number_masked" text NOT NULL,
	"name_enc" text NOT NULL,
	"name_masked" text NOT NULL,
	"nationality" varchar(3),
	"issue_count" varchar(2),
	"gender" varchar(1) NOT NULL,
	"birth_date" date NOT NULL,
	"self_account_id" uuid,
	"code_generation" integer DEFAULT 1 NOT NULL,
	"short_code" varchar(10) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_id_type_ck" CHECK ("persons"."id_type" in ('cn_resident','hk_macao_permit','taiwan_permit','passport')),
	CONSTRAINT "persons_gender_ck" CHECK ("persons"."gender" in ('M','F')),
	CONSTRAINT "persons_generation_ck" CHECK ("persons"."code_generation" >= 1)
);
--> statement-breakpoint
CREATE TABLE "status_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "status_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id_hash" text NOT NULL,
	"colour" text NOT NULL,
	"reason" text,
	"valid_from" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"set_by_account_id" uuid,
	"import_batch_id" text,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_changes_colour_ck" CHECK ("status_changes"."colour" in ('green','red')),
	CONSTRAINT "status_changes_reason_ck" CHECK (("status_changes"."colour" = 'green' and "status_changes"."reason" is null) or ("status_changes"."colour" = 'red' and "status_changes"."reason" in ('confirmed','suspected','close_contact','other_province','centralised_isolation','home_isolation'))),
	CONSTRAINT "status_changes_source_ck" CHECK ("status_changes"."source" in ('official','import'))
);
--> statement-breakpoint
CREATE TABLE "status_import_batches" (
	"batch_id" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"item_count" integer NOT NULL,
	"applied" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_roles" (
	"account_id" uuid NOT NULL,
	"role" text NOT NULL,
	"granted_by_account_id" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_roles_account_id_role_pk" PRIMARY KEY("account_id","role"),
	CONSTRAINT "account_roles_role_ck" CHECK ("account_roles"."role" in ('health_official'))
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL,
	CONSTRAINT "rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
ALTER TABLE "code_displays" ADD CONSTRAINT "code_displays_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_displays" ADD CONSTRAINT "code_displays_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardianships" ADD CONSTRAINT "guardianships_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardianships" ADD CONSTRAINT "guardianships_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_self_account_id_accounts_id_fk" FOREIGN KEY ("self_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_roles" ADD CONSTRAINT "account_roles_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "code_displays_person_idx" ON "code_displays" USING btree ("person_id","displayed_at");--> statement-breakpoint
CREATE INDEX "guardianships_person_idx" ON "guardianships" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_id_hash_uq" ON "persons" USING btree ("id_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_short_code_uq" ON "persons" USING btree ("short_code");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_self_account_uq" ON "persons" USING btree ("self_account_id");--> statement-breakpoint
CREATE INDEX "status_changes_lookup_idx" ON "status_changes" USING btree ("id_hash","valid_from" DESC NULLS LAST,"id" DESC NULLS LAST);