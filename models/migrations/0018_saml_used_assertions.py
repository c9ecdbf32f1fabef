from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0017_invitations_and_password_resets')]

    initial = False

    operations = [
        ops.CreateModel(
            name='UsedSamlAssertion',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'saml_used_assertion', 'app': 'twofold', 'pk_attr': 'key', 'table_description': 'One consumed assertion, keyed by a hash of (provider, assertion ID), kept until it expires.'},
            bases=['Model'],
        ),
    ]
