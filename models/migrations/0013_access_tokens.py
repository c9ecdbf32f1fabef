from tortoise import migrations
from tortoise.migrations import operations as ops
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0012_preferred_method_choices')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ServiceClient',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('client_id', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=100)),
                ('secret_hmac', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'service_client', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One service credential: the secret is kept only as a keyed hash.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SigningKey',
            fields=[
                ('kid', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('generation', fields.IntField(unique=True)),
                ('private_key_sealed', fields.TextField(unique=False)),
                ('public_jwk', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('signs_from', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'signing_key', 'app': 'twofold', 'pk_attr': 'kid', 'table_description': 'One ES256 key pair, the private half sealed with TWOFOLD_SECRET_KEY.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AuthSession',
            name='proofs',
            field=fields.CharField(default='', db_default='', max_length=1024),
        ),
    ]
