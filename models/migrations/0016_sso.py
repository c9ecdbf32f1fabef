from tortoise import migrations
from tortoise.migrations import operations as ops
from models.sso import SsoKind
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0015_transaction_approvals')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IdentityProvider',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('twofold.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='identity_providers', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='SAML: saml\nOIDC: oidc', enum_type=SsoKind, max_length=8)),
                ('name', fields.CharField(description='Shown on the sign-in button.', max_length=200)),
                ('issuer', fields.CharField(max_length=2000)),
                ('client_id', fields.CharField(null=True, max_length=500)),
                ('client_secret_sealed', fields.TextField(null=True, unique=False)),
                ('config', fields.TextField(default='{}', unique=False)),
                ('allowed_acr', fields.TextField(default='', unique=False)),
                ('allowed_amr', fields.TextField(default='', unique=False)),
                ('native_redirect_uri', fields.CharField(null=True, max_length=2000)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sso_provider', 'app': 'twofold', 'pk_attr': 'id', 'table_description': "One company's identity provider. `config` is the protocol's JSON (SAML: what its"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ExternalIdentity',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('provider', fields.ForeignKeyField('twofold.IdentityProvider', source_field='provider_id', db_constraint=True, to_field='id', related_name='identities', on_delete=OnDelete.CASCADE)),
                ('subject', fields.CharField(max_length=255)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='external_identities', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sso_identity', 'app': 'twofold', 'unique_together': (('provider', 'subject'),), 'pk_attr': 'id', 'table_description': "The provider's stable subject of one user: later sign-ins link by it alone."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SsoDomain',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('domain', fields.CharField(unique=True, max_length=253)),
                ('company', fields.ForeignKeyField('twofold.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='sso_domains', on_delete=OnDelete.CASCADE)),
                ('verified', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sso_domain', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'An email domain that belongs to one company only. `verified`: the operator who adds a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SsoHandoff',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('code_hmac', fields.CharField(unique=True, max_length=64)),
                ('answer_sealed', fields.TextField(unique=False)),
                ('app_challenge', fields.CharField(null=True, max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sso_handoff', 'app': 'twofold', 'pk_attr': 'id', 'table_description': "A native app's one-time code: its keyed hash, and the sign-in's answer sealed."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SsoRequest',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('state_sha256', fields.CharField(unique=True, max_length=64)),
                ('browser_sha256', fields.CharField(max_length=64)),
                ('provider', fields.ForeignKeyField('twofold.IdentityProvider', source_field='provider_id', db_constraint=True, to_field='id', related_name='requests', on_delete=OnDelete.CASCADE)),
                ('nonce', fields.CharField(max_length=128)),
                ('code_verifier', fields.CharField(max_length=128)),
                ('return_to', fields.CharField(default='/', max_length=2000)),
                ('native', fields.BooleanField(default=False)),
                ('app_challenge', fields.CharField(null=True, max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sso_request', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'A sign-in sent to an identity provider and not back yet: found by the hash of its'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Company',
            name='allow_password_with_sso',
            field=fields.BooleanField(default=False, description="Users of the company's SSO domains may also sign in with a password.", db_default=False),
        ),
        ops.AddField(
            model_name='Company',
            name='sso_auto_provisioning',
            field=fields.BooleanField(default=False, description='An SSO sign-in of an unknown address of a verified domain creates a user.', db_default=False),
        ),
    ]
