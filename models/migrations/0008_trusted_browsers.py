from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import MfaMethod
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0007_security_keys')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TrustedBrowser',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('token_hmac', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='trusted_browsers', on_delete=OnDelete.CASCADE)),
                ('user_agent', fields.CharField(default='', max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'trusted_browser', 'app': 'twofold', 'pk_attr': 'id', 'table_description': "One remembered browser of one user. Only a keyed hash of its cookie's secret is kept."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Company',
            name='allow_trusted_browsers',
            field=fields.BooleanField(default=False, description='Users may skip the sign-in challenge on a browser they chose to trust.', db_default=False),
        ),
        # User.preferred_method's enum description: see 0007.
    ]
